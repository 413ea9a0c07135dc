"""The ``leadbench`` command line: one module per command, ``common`` for what they share.

``main.main`` parses the arguments and runs a command module's ``run``. The command line uses the
engine (``scoring``) directly; it reaches the window only through ``gui`` (and ``app.report_pdf``
for a PDF report), imported when that command runs, and the window never imports it.
"""
