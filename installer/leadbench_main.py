"""Entry point of the desktop bundle (PyInstaller): the same as the ``leadbench`` command."""

from app.cli.main import command

command()
