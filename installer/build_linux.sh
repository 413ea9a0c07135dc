#!/usr/bin/env bash
# Build the one-folder desktop bundle: dist/leadbench/leadbench (+ .desktop file and icon).
# Usage: bash installer/build_linux.sh        (after `make setup`)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
[ -x "$VENV/bin/python" ] || bash installer/bootstrap.sh "$VENV"
"$VENV/bin/python" -m pip install --quiet "pyinstaller>=6.10"
# a PNG icon for the desktop entry and the executable, rendered from the SVG with Qt
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" - <<'PY'
from PySide6.QtGui import QGuiApplication, QIcon
app = QGuiApplication([])
QIcon("resources/icons/leadbench.svg").pixmap(256, 256).save("installer/leadbench.png")
PY
"$VENV/bin/pyinstaller" --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/leadbench.spec
cp installer/leadbench.desktop dist/leadbench/leadbench.desktop
cp installer/leadbench.png dist/leadbench/leadbench.png
echo "Built dist/leadbench/ — run dist/leadbench/leadbench, or install the desktop entry with:"
echo "  cp dist/leadbench/leadbench.desktop ~/.local/share/applications/ && cp dist/leadbench/leadbench.png ~/.local/share/icons/"
