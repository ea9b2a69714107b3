"""Charts as Vega-Lite specs (built with Altair), turned into PNG for Word and SVG for HTML.

Chart builders take plain rows and already translated labels, so they know nothing of params or
languages; ``render`` does the conversion once per chart and language, shared by both writers.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import altair as alt
import vl_convert as vlc

from . import bar_chart
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
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=11, grid=False, labelLimit=0,
                            labelSeparation=bar_chart.LABEL_SEPARATION),
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


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart in row order, values printed at the bars' ends.

    ``highlight`` names a category drawn in the accent colour, the others muted; without it every
    bar takes the accent colour. Documents draw it natively (``bar_chart``); ``to_altair`` gives the
    same chart as Vega-Lite, which notebooks show inline.
    """

    rows: tuple[dict, ...]
    category: str
    value: str
    value_title: str
    highlight: str | None = None
    value_format: str = ",.0f"
    domain: tuple[float, float] | None = None

    @property
    def height(self) -> int:
        return max(60, 28 * len(self.rows))

    def to_altair(self) -> alt.LayerChart:
        category, value, rows = self.category, self.value, list(self.rows)
        order = [r[category] for r in rows]
        scale = alt.Scale(domain=list(self.domain)) if self.domain else alt.Undefined
        color = (
            alt.condition(alt.datum[category] == self.highlight, alt.value(ACCENT), alt.value(MUTED))
            if self.highlight is not None
            else alt.value(ACCENT)
        )
        # Built in one go rather than by chaining .encode()/.configure_*(): each chained call
        # deep-copies the chart, which cost four times the building (tests/test_charts.py).
        y = alt.Y(f"{category}:N", sort=order, title=None)
        x = alt.X(f"{value}:Q", title=self.value_title, scale=scale)
        data = alt.Data(values=rows)
        bars = alt.Chart(data, mark=alt.MarkDef(type="bar", height=18),
                         encoding=alt.FacetedEncoding(y=y, x=x, color=color))
        text = alt.Chart(data, mark=alt.MarkDef(type="text", align="left", dx=4, fontSize=11),
                         encoding=alt.FacetedEncoding(
                             y=y, x=x, text=alt.Text(f"{value}:Q", format=self.value_format)))
        return alt.LayerChart(layer=[bars, text], width=WIDTH, height=self.height, config=_config())

    def to_dict(self, **kwargs) -> dict:
        return self.to_altair().to_dict(**kwargs)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.to_altair()._repr_mimebundle_(include, exclude)

    def layout(self, locale: str) -> bar_chart.Layout:
        categories = [str(r[self.category]) for r in self.rows]
        colours = [
            ACCENT if self.highlight is None or c == self.highlight else MUTED for c in categories
        ]
        return bar_chart.layout(
            categories,
            [float(r[self.value]) for r in self.rows],
            self.value_title,
            WIDTH,
            self.height,
            colours,
            bar_chart.decimals_of(self.value_format),
            self.domain,
            _number_locale(locale),
        )


def bar(rows: list[dict], category: str, value: str, value_title: str,
        highlight: str | None = None, value_format: str = ",.0f",
        domain: tuple[float, float] | None = None) -> BarChart:
    """The house bar chart (see ``BarChart``)."""
    bar_chart.decimals_of(value_format)  # an unsupported format fails here, where it is written
    return BarChart(tuple(rows), category, value, value_title, highlight, value_format,
                    tuple(domain) if domain else None)


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
        content = json.dumps(chart.to_dict(validate=False), separators=(",", ":"))
    key = hashlib.sha256(f"{locale}\n{content}".encode()).hexdigest()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is None:
        if isinstance(chart, BarChart):
            drawn = chart.layout(locale)
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


def clear_cache() -> None:
    """Forget the charts drawn so far (benchmarks measure drawing, tests start clean)."""
    with _cache_lock:
        _cache.clear()


def _number_locale(locale: str) -> dict:
    """d3-format locale so chart numbers use the document language's separators."""
    if locale.startswith("id"):
        return {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}
