"""``python -m app``: the same as the ``leadbench`` command."""

from app.cli.main import command

command()
