#!/usr/bin/env bash
# Set up Leadbench on a fresh Debian/Ubuntu machine:
#   bootstrap.sh [VENV]          system libraries Qt needs (offscreen), then VENV with the package and test extras
#   bootstrap.sh --gui-libs-only the extra libraries a real window on an X11 display needs
# System packages are installed only when missing, and only where apt-get is available.
set -euo pipefail

QT_LIBS="libglib2.0-0 libegl1 libgl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3"
GUI_LIBS="xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"

missing_packages() {
    local pkg missing=""
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
    done
    echo "$missing"
}

install_system() {
    command -v dpkg-query >/dev/null 2>&1 || { echo "bootstrap: not a Debian/Ubuntu system; install Qt's libraries yourself" >&2; return 0; }
    local missing
    missing=$(missing_packages "$@")
    [ -z "$missing" ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "bootstrap: installing system libraries:$missing"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

if [ "${1:-}" = "--gui-libs-only" ]; then
    install_system $GUI_LIBS
    exit 0
fi

VENV=${1:-.venv}
# shellcheck disable=SC2086
install_system $QT_LIBS
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "bootstrap: Leadbench needs Python 3.11 or newer ($PYTHON is older)" >&2; exit 1; }
if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
    install_system python3-venv
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[test]"
echo "bootstrap: ready in $VENV"
