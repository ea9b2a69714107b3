"""Drawing a document's charts: PNG for Word, SVG for HTML, once per chart and language.

The house bar chart is laid out and drawn natively (``bar_chart``); other charts go through Vega
(vl-convert). Both writers share the drawing through the document tree's ``Chart``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

import altair as alt
import vl_convert as vlc

from cluster_reports.compose import bar_chart
from cluster_reports.compose.tree import Chart
from cluster_reports.documents.charts import ACCENT, MUTED, WIDTH, BarChart, decimals_of
from cluster_reports.documents.markdown_text import remove_controls


def layout(chart: BarChart, locale: str) -> bar_chart.Layout:
    """The bar chart's shapes, with the document language's number separators."""
    categories = [str(r[chart.category]) for r in chart.rows]
    colours = [ACCENT if chart.highlight is None or c == chart.highlight else MUTED for c in categories]
    return bar_chart.layout(
        categories,
        [float(r[chart.value]) for r in chart.rows],
        chart.value_title,
        WIDTH,
        chart.height,
        colours,
        decimals_of(chart.value_format),
        chart.domain,
        _number_locale(locale),
    )


PNG_SCALE = 2  # sharp in Word at the width it is shown
CACHE_SIZE = 128  # rendered charts kept per process (about 70 KB each), so memory stays bounded

_cache: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
_cache_lock = threading.Lock()


def render(chart: alt.TopLevelMixin | BarChart, alt_text: str, locale: str) -> Chart:
    """PNG (scale 2, sharp in Word) and SVG (no JavaScript, for offline HTML) of one chart.

    A bar chart is laid out once here and drawn to both (``bar_chart``). Other charts go through
    Vega: laid out once, to SVG, the PNG being that SVG rasterised (the same bytes as vl-convert's
    own PNG, at about a third of its cost); their spec is not validated against the Vega-Lite schema
    here (that costs more than drawing small charts; tests/test_charts.py validates every chart the
    documents make). A chart already drawn in this process with the same content and locale (a
    group's chart, a score pattern many clusters share) is reused.
    """
    if isinstance(chart, BarChart):
        content = json.dumps([chart.rows, chart.category, chart.value, chart.value_title,
                              chart.highlight, chart.value_format, chart.domain], default=str)
    else:
        content = json.dumps(_without_controls(chart.to_dict(validate=False)), separators=(",", ":"))
    key = hashlib.sha256(f"{locale}\n{content}".encode()).hexdigest()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is None:
        if isinstance(chart, BarChart):
            drawn = layout(chart, locale)
            hit = (bar_chart.to_png(drawn, PNG_SCALE), bar_chart.to_svg(drawn))
        else:
            svg = vlc.vegalite_to_svg(content, format_locale=_number_locale(locale))
            hit = (vlc.svg_to_png(svg, scale=PNG_SCALE), svg)
        with _cache_lock:
            _cache[key] = hit
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    png, svg = hit
    return Chart(png=png, svg=svg, alt=alt_text)


def _without_controls(spec: object) -> object:
    """A chart's spec with no control character in its texts (user text: names, labels, titles):
    a NUL or an ESC makes vl-convert abort the process."""
    if isinstance(spec, str):
        return remove_controls(spec)
    if isinstance(spec, dict):
        return {_without_controls(k): _without_controls(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_without_controls(v) for v in spec]
    return spec


def clear_cache() -> None:
    """Forget the charts drawn so far (benchmarks measure drawing, tests start clean)."""
    with _cache_lock:
        _cache.clear()


def _number_locale(locale: str) -> dict:
    """d3-format locale so chart numbers use the document language's separators."""
    if locale.startswith("id"):
        return {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}
