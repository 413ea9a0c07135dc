"""The audit report as one self-contained HTML file: inline CSS and SVG, no scripts, no links.

Every value taken from the lead list or the model is HTML-escaped (a lead named ``<script>``
shows as text). The page prints on A4 or Letter: each part starts on a new page, table rows and
charts are never cut, table headers repeat.

Functions
---------
render_html(report, images=None) : the whole document
chart_svgs(report) : the report's charts as SVG texts, by name (for renderers that want images)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

import scoring
from scoring.report.audit import AuditReport
from scoring.report.handoff_section import handoff_html
from scoring.report.svg_charts import bars_svg, columns_svg, histogram_svg

__all__ = ["render_html", "chart_svgs", "CHART_SOURCES_SHOWN", "SOURCE_ROWS_SHOWN", "STYLE", "IMAGE_WIDTH"]

#: Sources drawn in the bar chart (all are in the table below it, up to SOURCE_ROWS_SHOWN).
CHART_SOURCES_SHOWN = 12
SOURCE_ROWS_SHOWN = 40
#: Width (CSS pixels) of chart images in ``images`` mode: fits an A4 or Letter page.
IMAGE_WIDTH = 640
_PLACEHOLDERS_SHOWN = 20
_PERIOD_FORMAT = {"day": "%d %b", "week": "%d %b", "month": "%b %Y", "quarter": "%Y-%m",
                  "year": "%Y"}

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; color: #263238; font-size: 10.5pt;
       line-height: 1.4; margin: 24px auto; max-width: 900px; padding: 0 16px; }
h1 { font-size: 20pt; margin: 0 0 4px 0; color: #1b3a4b; }
h2 { font-size: 15pt; color: #1b3a4b; border-bottom: 2px solid #2e7d32; padding-bottom: 3px;
     margin-top: 28px; }
h3 { font-size: 11.5pt; margin: 16px 0 6px 0; color: #1b3a4b; }
p.meta { color: #5f6b73; margin: 0 0 14px 0; }
p.note { color: #5f6b73; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px 0; font-size: 9.5pt; }
th { background-color: #eef2f4; text-align: left; font-weight: bold; }
th, td { border: 1px solid #d5dde2; padding: 3px 6px; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.mql td { background-color: #e8f5e9; }
table.figures td { border: none; padding: 4px 16px 4px 0; width: 20%; }
table.figures .big { font-size: 17pt; font-weight: bold; color: #1b3a4b; }
table.figures .label { color: #5f6b73; font-size: 9pt; }
.warn { color: #8a4b00; }
.bad { color: #b71c1c; font-weight: bold; }
.chart { margin: 8px 0 4px 0; }
.chart svg { max-width: 100%; height: auto; }
footer { margin-top: 32px; color: #78909c; font-size: 8.5pt; border-top: 1px solid #d5dde2;
         padding-top: 6px; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
  section { break-before: page; page-break-before: always; }
  section.first { break-before: auto; page-break-before: auto; }
  tr, .chart, svg, img, table.figures { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(value) -> str:
    return escape(str(value), quote=True)


def _int(value) -> str:
    return f"{int(value):,}"


def _pct(value) -> str:
    return "–" if value is None or not math.isfinite(float(value)) else f"{float(value):.1%}"


def _num(value) -> str:
    if value is None or not math.isfinite(float(value)):
        return "–"
    return f"{float(value):,.1f}".rstrip("0").rstrip(".")


def _points(value) -> str:
    if value is None:
        return ""
    text = _num(abs(value))
    return ("+" if value >= 0 else "−") + text


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
           row_classes: list[str] | None = None, widths: Mapping[int, str] | None = None) -> str:
    """A table of already-escaped cells; ``numeric`` column indexes are right-aligned;
    ``widths``: column index -> width ("40%")."""
    right = ' class="num"'
    widths = widths or {}
    head = "".join(f"<th{right if i in numeric else ''}"
                   + (f' width="{widths[i]}"' if i in widths else "") + f">{h}</th>"
                   for i, h in enumerate(header))
    body = []
    for k, row in enumerate(rows):
        cls = f' class="{row_classes[k]}"' if row_classes and row_classes[k] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td{right if i in numeric else ''}>{c}</td>"
                                           for i, c in enumerate(row)) + "</tr>")
    return (f'<table width="100%" cellspacing="0"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(body) + "</tbody></table>")


def _period(stamp, granularity: str) -> str:
    """A period's label: "Mar 2026", "2026 Q1", "week of 02 Mar 2026"."""
    if granularity == "quarter":
        return f"{stamp.year} Q{(stamp.month - 1) // 3 + 1}"
    if granularity == "week":
        return f"week of {stamp:%d %b %Y}"
    return stamp.strftime({"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}[granularity])


def chart_svgs(report: AuditReport) -> dict[str, str]:
    """The charts of ``report`` as SVG texts: "histogram", and "sources" and "timeline" when the
    list has a source and a created-date column."""
    charts = {"histogram": histogram_svg(report.histogram, report.threshold,
                                         title="Leads by total score")}
    if report.by_source is not None and len(report.by_source):
        top = report.by_source.head(CHART_SOURCES_SHOWN)
        charts["sources"] = bars_svg(top["source"].tolist(), top["leads"].to_numpy(),
                                     top["mqls"].to_numpy(), title="Leads and MQLs by source")
    if report.timeline is not None and len(report.timeline):
        t = report.timeline
        per = t.attrs.get("granularity", "month")
        labels = ([_period(d, per) for d in t["period_start"]] if per == "quarter"
                  else [d.strftime(_PERIOD_FORMAT[per]) for d in t["period_start"]])
        charts["timeline"] = columns_svg(labels, t["leads"].to_numpy(), t["mqls"].to_numpy(),
                                         title="Leads and MQLs over time")
    return charts


def _chart(name: str, charts: Mapping[str, str], images: Mapping[str, str] | None) -> str:
    if images is not None:
        return (f'<div class="chart"><img src="{_e(images[name])}" width="{IMAGE_WIDTH}" '
                f'alt="{_e(name)} chart"></div>')
    return f'<div class="chart">{charts[name]}</div>'


def _figures(r: AuditReport) -> str:
    cells = [(_int(r.n_leads), "leads in the list"),
             (_int(r.n_mql), f"MQLs ({_pct(r.mql_rate)} of all leads)"),
             (_num(r.threshold), "MQL threshold (points)"),
             (_int(r.n_blocked), "blocked by a gate")]
    if r.backtest is not None:
        cells.append((_pct(r.backtest.metrics.precision), "of MQLs were won"))
    row = "".join(f'<td><div class="big">{v}</div><div class="label">{_e(t)}</div></td>'
                  for v, t in cells)
    return f'<table class="figures"><tr>{row}</tr></table>'


def _quality(r: AuditReport) -> str:
    out = ['<section class="first" id="data-quality"><h2>1. Data quality</h2>']
    empty = [c for c in r.columns if c.fill_rate < 0.5]
    half = ("Every column is at least half filled." if not empty else
             f"{_int(len(empty))} column{'s are' if len(empty) != 1 else ' is'} less than half "
             "filled (shaded below).")
    out.append(f"<p>The list has {_int(r.n_leads)} leads in {_int(r.n_columns)} columns. {half}</p>")
    for warning in r.load_warnings:
        out.append(f'<p class="warn">{_e(warning)}</p>')
    out.append("<h3>Emails</h3>")
    if r.email is None:
        out.append(f'<p class="note">{_e(r.notes.get("email", ""))}</p>')
    else:
        e = r.email
        items = [f"{_int(e.filled)} filled addresses in “{_e(e.column)}”.",
                 f'<span class="{"bad" if e.invalid else ""}">{_int(e.invalid)} '
                 f"({_pct(e.invalid / e.filled if e.filled else 0)}) are not valid addresses</span>"
                 + (": " + ", ".join(f"“{_e(x)}”" for x in e.invalid_examples) if e.invalid_examples else "")
                 + ".",
                 f"{_int(e.free_mail)} ({_pct(e.free_mail / e.filled if e.filled else 0)}) use a "
                 "free-mail provider" + (": " + ", ".join(f"{_e(d)} ({_int(n)})" for d, n in e.free_domains)
                                         if e.free_domains else "") + "."]
        out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
    out.append("<h3>Duplicates</h3>")
    d = r.duplicates
    if d is None:
        out.append('<p class="note">Without an email column, duplicates are not looked for.</p>')
    elif not d.groups:
        out.append(f"<p>No two leads share the same {_e(d.by)}.</p>")
    else:
        largest = ", ".join(f"“{_e(k)}” ({_int(n)}×)" for k, n in d.largest)
        groups = f"{_int(d.groups)} group{'s' if d.groups != 1 else ''} of leads"
        out.append(f'<p><span class="bad">{groups} share the same {_e(d.by)}</span>: '
                   f"{_int(d.extra_rows)} leads beyond the first of each group. "
                   f"Largest: {largest}.</p>")
    out.append("<h3>Placeholder values</h3>")
    if not r.placeholders:
        out.append("<p>No cells hold placeholder texts such as “Select” or “n/a”.</p>")
    else:
        shown = r.placeholders[:_PLACEHOLDERS_SHOWN]
        out.append("<p>These cells hold a text that means “not filled in”. Leadbench treats the "
                   "marked ones as empty; add the others to the model's missing values to do the "
                   "same.</p>")
        out.append(_table(["Column", "Value", "Cells", "Treated as empty"],
                          [[_e(p.column), f"“{_e(p.value)}”", _int(p.count),
                            "yes" if p.treated_as_missing else "no"] for p in shown], {2}))
        if len(r.placeholders) > len(shown):
            out.append(f'<p class="note">…and {_int(len(r.placeholders) - len(shown))} more.</p>')
    out.append("<h3>Fill rate by column</h3>")
    out.append(_table(["Column", "Type", "Filled", "Fill rate", "Distinct values", "Note"],
                      [[_e(c.name), _e(c.type), _int(c.filled), _pct(c.fill_rate), _int(c.distinct),
                        _e(c.note)] for c in r.columns], {2, 3, 4},
                      ["warn" if c.fill_rate < 0.5 else "" for c in r.columns]))
    out.append("</section>")
    return "\n".join(out)


def _model(r: AuditReport) -> str:
    out = ['<section id="model"><h2>2. The scoring model</h2>']
    if r.model_description:
        out.append(f"<p>{_e(r.model_description)}</p>")
    caps = [f"{_e(name)} points are capped at {_num(cap)}" for name, cap in r.groups if cap is not None]
    out.append(f"<p>Each rule below adds (or takes away) points. A lead with at least "
               f"<b>{_num(r.threshold)} points</b> is a Marketing Qualified Lead (MQL), unless a "
               f"“must have” rule fails or a “disqualifies” rule matches."
               + (" " + "; ".join(caps) + "." if caps else "") + "</p>")
    rows = [[_e(x.name) + ("" if x.enabled else " <i>(switched off)</i>"), _e(x.kind),
             _points(x.points), _e(x.text), _int(x.leads)] for x in r.rules]
    out.append(_table(["Rule", "Kind", "Points", "When", "Leads matched / blocked"], rows, {2, 4}))
    out.append("</section>")
    return "\n".join(out)


def _distribution(r: AuditReport, charts, images) -> str:
    above = int(r.histogram.loc[r.histogram["left"] >= r.threshold - 1e-9, "leads"].sum())
    return "\n".join([
        '<section id="distribution"><h2>3. Score distribution</h2>',
        f"<p>{_int(above)} leads score {_num(r.threshold)} or more; {_int(r.n_mql)} of them are "
        f"MQLs ({_int(above - r.n_mql)} blocked by a gate). Green bars are MQLs.</p>",
        _chart("histogram", charts, images), "</section>"])


def _sources(r: AuditReport, charts, images) -> str:
    out = ['<section id="sources"><h2>4. Conversion by source</h2>']
    if r.by_source is None or not len(r.by_source):
        out.append(f'<p class="note">{_e(r.notes.get("source", "No sources."))}</p></section>')
        return "\n".join(out)
    out.append(f"<p>Leads and MQLs by “{_e(r.source_column)}” (spellings that differ only in case "
               "or spaces are counted together).</p>")
    out.append(_chart("sources", charts, images))
    frame = r.by_source
    won = "won" in frame.columns
    header = ["Source", "Leads", "MQLs", "Lead → MQL"] + (["Won", "MQL → won", "Not MQL → won"] if won else [])
    rows = []
    for row in frame.head(SOURCE_ROWS_SHOWN).itertuples(index=False):
        cells = [_e(row.source), _int(row.leads), _int(row.mqls), _pct(row.mql_rate)]
        if won:
            cells += [_int(row.won), _pct(row.mql_won_rate), _pct(row.non_mql_won_rate)]
        rows.append(cells)
    out.append(_table(header, rows, set(range(1, len(header)))))
    if len(frame) > SOURCE_ROWS_SHOWN:
        out.append(f'<p class="note">…and {_int(len(frame) - SOURCE_ROWS_SHOWN)} smaller sources.</p>')
    out.append("</section>")
    return "\n".join(out)


def _timeline(r: AuditReport, charts, images) -> str:
    out = ['<section id="timeline"><h2>5. MQLs over time</h2>']
    t = r.timeline
    if t is None or not len(t):
        note = r.notes.get("timeline", "No lead has a created date.")
        out.append(f'<p class="note">{_e(note)}</p></section>')
        return "\n".join(out)
    per = t.attrs.get("granularity", "month")
    first, last = (_period(t["period_start"].iloc[i], per) for i in (0, -1))
    out.append(f"<p>Leads and MQLs per {per} of “{_e(r.created_column)}”, {first} to {last}."
               + (f" {_int(t.attrs['undated'])} leads have no date and are not shown."
                  if t.attrs.get("undated") else "") + "</p>")
    out.append(_chart("timeline", charts, images))
    out.append("</section>")
    return "\n".join(out)


def _backtest(r: AuditReport) -> str:
    out = ['<section id="backtest"><h2>6. Back-test against real outcomes</h2>']
    b = r.backtest
    if b is None:
        out.append(f'<p class="note">{_e(r.notes.get("backtest", ""))}</p></section>')
        return "\n".join(out)
    m = b.metrics
    won = ", ".join(_e(v) for v in r.won_values) or "a filled date"
    out.append(f"<p>Outcome column “{_e(r.outcome_column)}” (won means {won}): {_int(m.settled)} leads "
               f"have a known outcome, {_int(m.won)} were won (base rate {_pct(m.base_rate)} of the leads "
               "with a known outcome).</p>")
    lift = "–" if not math.isfinite(m.lift) else f"{m.lift:.2f}×"
    auc = "–" if not math.isfinite(b.auc) else f"{b.auc:.3f}"
    out.append(_table(["Measure", "Value", "In words"], [
        ["MQLs at the threshold", _int(m.mqls), f"leads scoring {_num(b.threshold)} or more, not blocked"],
        ["MQL-to-won rate (precision)", _pct(m.precision), "of the MQLs with an outcome, the share won"],
        ["Won leads that were MQLs (recall)", _pct(m.recall), "of all won leads, the share the model flagged"],
        ["Lift", lift, "how many times the base rate the MQLs convert"],
        ["Score quality (ROC AUC)", auc, "0.5 is a coin toss, 1.0 ranks every won lead first"],
    ], {1}))
    out.append("<h3>Conversion by score decile</h3>")
    rows = [[_int(d.decile), _int(d.leads), _int(d.won), _pct(d.conversion_rate),
             "–" if not math.isfinite(d.lift) else f"{d.lift:.2f}×",
             f"{_num(d.min_score)} – {_num(d.max_score)}" if d.leads else "–"]
            for d in b.deciles.itertuples(index=False)]
    out.append(_table(["Decile (1 = best scores)", "Leads with an outcome", "Won", "Conversion (won / leads)",
                       "Lift", "Scores"],
                      rows, {0, 1, 2, 3, 4}))
    table = b.table
    if len(table):
        at = int((table["threshold"] - b.threshold).abs().idxmin())
        near = table.iloc[max(0, at - 3): at + 4]
        out.append("<h3>Other thresholds</h3>")
        out.append(_table(["Threshold", "MQLs", f"Share of all {_int(r.n_leads)} leads",
                           "Precision (won / MQLs with an outcome)",
                           f"Recall (of {_int(m.won)} won leads)"],
                          [[_num(t.threshold), _int(t.mqls), _pct(t.share), _pct(t.precision),
                            _pct(t.recall)] for t in near.itertuples(index=False)], {0, 1, 2, 3, 4},
                          ["mql" if i == at else "" for i in near.index]))
    out.append("</section>")
    return "\n".join(out)


def _score(value) -> str:
    """A lead's score to the cent, as its reasons list it."""
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def _top(r: AuditReport) -> str:
    out = ['<section id="top-mqls"><h2>7. Top MQLs</h2>']
    if not r.top:
        out.append('<p class="note">No lead qualifies as an MQL under this model.</p></section>')
        return "\n".join(out)
    out.append(f"<p>The {_int(len(r.top))} best-scoring of {_int(r.n_mql)} MQLs, with the rules "
               "that gave them their points (and the caps that cut them: the points add up to the "
               "score).</p>")
    fields = [c for c, _v in r.top[0].fields]
    rows = [[_int(i + 1), *(_e(v) for _c, v in lead.fields), _score(lead.score), _e(lead.reasons)]
            for i, lead in enumerate(r.top)]
    n = len(fields)
    out.append(_table(["#", *(_e(c) for c in fields), "Score", "Why"], rows, {0, n + 1},
                      widths={n + 2: "42%"}))
    out.append("</section>")
    return "\n".join(out)


def render_html(report: AuditReport, images: Mapping[str, str] | None = None) -> str:
    """The audit report as a complete HTML document.

    Parameters
    ----------
    report : from :func:`scoring.report.audit.build_report`
    images : optional chart name -> image address; by default the charts are inline SVG (the
        file then holds everything). Renderers without SVG support (Qt's rich text, for PDF)
        pass addresses of images they made from :func:`chart_svgs`.
    """
    r = report
    charts = chart_svgs(r) if images is None else {}
    sheet = f", sheet “{_e(r.sheet)}”" if r.sheet else ""
    meta = (f"Model “{_e(r.model_name)}” on {_e(r.source_name)}{sheet} · scored as of "
            f"{r.as_of:%d %b %Y} · made {r.generated:%d %b %Y %H:%M}")
    body = [_quality(r), _model(r), _distribution(r, charts, images), _sources(r, charts, images),
            _timeline(r, charts, images), _backtest(r), _top(r)]
    if r.handoffs is not None or "handoffs" in r.notes:
        body.append(handoff_html(r.handoffs, r.notes.get("handoffs", "")))
    if images is not None:        # Qt's rich text knows no <section> or @media: break before h2
        body = [body[0]] + [b.replace("<h2>", '<h2 style="page-break-before: always">', 1)
                            for b in body[1:]]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(r.title)}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{_e(r.title)}</h1><p class=\"meta\">{meta}</p>{_figures(r)}</header>",
        *body,
        f"<footer>Made with Leadbench {_e(scoring.__version__)}, an open-source lead scoring "
        "workbench. Every number here comes from the lead list and the model named above.</footer>",
        "</body></html>",
    ]
    return "\n".join(parts)
