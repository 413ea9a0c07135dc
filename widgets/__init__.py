"""Reusable Qt widgets: they take data through setters and emit signals of intent."""
