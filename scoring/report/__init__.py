"""The audit report: one self-contained document about a list under a model.

Holds the report's sections (``audit``), data-quality findings (``quality``), the HTML page
(``html``), its inline SVG charts (``svg_charts``) and the checks on a report's target file
(``target``).

May import: every other part of ``scoring`` (it sits on top).
"""
