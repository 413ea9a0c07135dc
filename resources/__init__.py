"""Bundled data: sample lead list, starter models, icons."""
