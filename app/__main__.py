"""``python -m app``: the same as the ``leadbench`` command."""

from app.cli import main

raise SystemExit(main())
