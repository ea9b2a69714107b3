"""Charts as Vega-Lite specs (built with Altair), turned into PNG for Word and SVG for HTML.

Chart builders take plain rows and already translated labels, so they know nothing of params or
languages; ``render`` does the conversion once per chart and language, shared by both writers.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

import altair as alt
import vl_convert as vlc

from .document import Chart

ACCENT = "#1f6f78"
MUTED = "#9dbec2"
FONT = "Liberation Sans, Arial, sans-serif"
WIDTH = 460


def style(chart: alt.Chart) -> alt.Chart:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=11, grid=False, labelLimit=260)
    )


def bar(rows: list[dict], category: str, value: str, value_title: str,
        highlight: str | None = None, value_format: str = ",.0f",
        domain: tuple[float, float] | None = None) -> alt.Chart:
    """A horizontal bar chart in row order, values printed at the bars' ends.

    ``highlight`` names a category drawn in the accent colour, the others muted; without it every
    bar takes the accent colour.
    """
    order = [r[category] for r in rows]
    scale = alt.Scale(domain=list(domain)) if domain else alt.Undefined
    color = (
        alt.condition(alt.datum[category] == highlight, alt.value(ACCENT), alt.value(MUTED))
        if highlight is not None
        else alt.value(ACCENT)
    )
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        x=alt.X(f"{value}:Q", title=value_title, scale=scale),
    )
    bars = base.mark_bar(height=18).encode(color=color)
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format=value_format)
    )
    height = max(60, 28 * len(rows))
    return style((bars + text).properties(width=WIDTH, height=height))


PNG_SCALE = 2  # sharp in Word at the width it is shown
CACHE_SIZE = 128  # rendered charts kept per process (about 70 KB each), so memory stays bounded

_cache: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
_cache_lock = threading.Lock()


def render(chart: alt.Chart, alt_text: str, locale: str) -> Chart:
    """PNG (scale 2, sharp in Word) and SVG (no JavaScript, for offline HTML) of one chart.

    Vega lays the chart out once, to SVG; the PNG is that SVG rasterised (the same bytes as
    vl-convert's own PNG, at about a third of its cost). A chart already drawn in this process with
    the same spec and locale (a group's chart, a score pattern many clusters share) is reused.
    The spec is not validated against the Vega-Lite schema here: that costs more than drawing
    small charts, and tests/test_charts.py validates every chart the documents make.
    """
    spec = json.dumps(chart.to_dict(validate=False), separators=(",", ":"))
    key = hashlib.sha256(f"{locale}\n{spec}".encode()).hexdigest()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is None:
        svg = vlc.vegalite_to_svg(spec, format_locale=_number_locale(locale))
        hit = (vlc.svg_to_png(svg, scale=PNG_SCALE), svg)
        with _cache_lock:
            _cache[key] = hit
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    png, svg = hit
    return Chart(png=png, svg=svg, alt=alt_text)


def _number_locale(locale: str) -> dict:
    """d3-format locale so chart numbers use the document language's separators."""
    if locale.startswith("id"):
        return {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}
