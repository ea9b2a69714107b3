"""Charts as Vega-Lite specs (built with Altair), turned into PNG for Word and SVG for HTML.

Chart builders take plain rows and already translated labels, so they know nothing of params or
languages; ``render`` does the conversion once per chart and language, shared by both writers.
"""

from __future__ import annotations

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


def render(chart: alt.Chart, alt_text: str, locale: str) -> Chart:
    """PNG (scale 2, sharp in Word) and SVG (no JavaScript, for offline HTML) of one chart."""
    spec = chart.to_json()
    fmt = _number_locale(locale)
    png = vlc.vegalite_to_png(spec, scale=2, format_locale=fmt)
    svg = vlc.vegalite_to_svg(spec, format_locale=fmt)
    return Chart(png=png, svg=svg, alt=alt_text)


def _number_locale(locale: str) -> dict:
    """d3-format locale so chart numbers use the document language's separators."""
    if locale.startswith("id"):
        return {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}
