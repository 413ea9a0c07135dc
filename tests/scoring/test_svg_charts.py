"""The report's hand-written SVG charts: well-formed, escaped, and drawn to scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from scoring.insight.distribution import score_histogram
from scoring.report.svg_charts import (LEAD_COLOUR, MQL_COLOUR, THRESHOLD_COLOUR, bars_svg, columns_svg,
                                       histogram_svg, nice_ticks)


def _rects(svg: str, colour: str) -> list[dict]:
    return [r.attrib for r in ET.fromstring(svg).iter("rect") if r.get("fill") == colour]


@pytest.mark.parametrize("top, expected", [(0, [0.0, 1.0]), (3, [0, 1, 2, 3]), (480, [0, 200, 400, 600]),
                                           (1000, [0, 250, 500, 750, 1000])])
def test_nice_ticks(top, expected):
    assert nice_ticks(top) == expected


def test_histogram_bars_are_to_scale_with_the_threshold_line():
    total = np.array([0, 10, 10, 20, 30, 30, 30, 40], float)
    frame = score_histogram(total, total >= 30, 30, step=10)
    svg = histogram_svg(frame, 30)
    root = ET.fromstring(svg)
    green, grey = _rects(svg, MQL_COLOUR), _rects(svg, LEAD_COLOUR)
    # legend swatches (10 px) aside, one bar per non-empty bin, heights proportional to counts
    heights = sorted(float(r["height"]) for r in green if float(r["height"]) != 10)
    assert heights[1] == pytest.approx(3 * heights[0])
    assert len([r for r in grey if r["height"] != "10"]) == 3
    line = [e for e in root.iter("line") if e.get("stroke") == THRESHOLD_COLOUR]
    assert len(line) == 1
    assert any(t.text == "Threshold 30" for t in root.iter("text"))


def test_labels_are_escaped_and_long_ones_shortened():
    evil = '<script>alert("x")</script> & a very long source name that goes on'
    svg = bars_svg([evil, "Web"], [10, 5], [2, 0])
    root = ET.fromstring(svg)                    # still well-formed XML
    texts = [t.text for t in root.iter("text")]
    assert any(t and t.startswith("<script>") and t.endswith("…") for t in texts)
    assert "<script>" not in svg
    assert ET.fromstring(columns_svg(["<b>", "Q2"], [1, 2], [0, 1])).find("title").text.startswith("Leads")


def test_empty_data_draws_an_empty_chart():
    for svg in (bars_svg([], [], []), columns_svg([], [], []),
                histogram_svg(score_histogram(np.zeros(0), np.zeros(0, bool), 50), 50)):
        ET.fromstring(svg)
