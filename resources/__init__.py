"""Bundled data: the sample lead list, starter models (templates) and icons."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "SAMPLE_LEADS", "STARTER_MODEL", "MODELS_DIR", "ICONS_DIR", "template_paths"]

ROOT = Path(__file__).resolve().parent
SAMPLE_LEADS = ROOT / "sample_leads.csv"
MODELS_DIR = ROOT / "models"
STARTER_MODEL = MODELS_DIR / "b2b_saas.json"
ICONS_DIR = ROOT / "icons"


def template_paths() -> list[Path]:
    """The starter models, starter first."""
    paths = sorted(MODELS_DIR.glob("*.json"))
    return sorted(paths, key=lambda p: p != STARTER_MODEL)
