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


def _config() -> alt.Config:
    return alt.Config(
        font=FONT,
        view=alt.ViewConfig(stroke=None),
        # No label limits: truncating a label makes Vega measure it piece by piece, which was half of a
        # chart's layout time; the documents' labels are short enough to show whole.
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=11, grid=False, labelLimit=0),
        legend=alt.LegendConfig(labelLimit=0),
    )


def style(chart: alt.Chart) -> alt.Chart:
    """The house style: the chart's configuration replaced, as ``chart.configure(...)`` does.

    Set in one step: chaining ``configure``, ``configure_view`` and ``configure_axis`` copies the
    chart each time, which cost more than building it. The spec is the same (tests/test_charts.py).
    """
    styled = chart.copy(deep=False)
    styled.config = _config()
    return styled


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
    # Built in one go rather than by chaining .encode()/.configure_*(): each chained call deep-copies
    # the chart, which cost four times the building. The spec is the same (tests/test_charts.py).
    y = alt.Y(f"{category}:N", sort=order, title=None)
    x = alt.X(f"{value}:Q", title=value_title, scale=scale)
    data = alt.Data(values=rows)
    bars = alt.Chart(data, mark=alt.MarkDef(type="bar", height=18),
                     encoding=alt.FacetedEncoding(y=y, x=x, color=color))
    text = alt.Chart(data, mark=alt.MarkDef(type="text", align="left", dx=4, fontSize=11),
                     encoding=alt.FacetedEncoding(y=y, x=x, text=alt.Text(f"{value}:Q", format=value_format)))
    height = max(60, 28 * len(rows))
    return alt.LayerChart(layer=[bars, text], width=WIDTH, height=height, config=_config())


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


def clear_cache() -> None:
    """Forget the charts drawn so far (benchmarks measure drawing, tests start clean)."""
    with _cache_lock:
        _cache.clear()


def _number_locale(locale: str) -> dict:
    """d3-format locale so chart numbers use the document language's separators."""
    if locale.startswith("id"):
        return {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}
