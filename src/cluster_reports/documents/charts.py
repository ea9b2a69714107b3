"""What a document's charts show: Vega-Lite specs built with Altair, and the house bar chart.

Chart builders take plain rows and already translated labels, so they know nothing of params or
languages. Drawing them (PNG for Word, SVG for HTML) is composition's work: ``compose.charts``.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt

ACCENT = "#1f6f78"
MUTED = "#9dbec2"
FONT = "Liberation Sans, Arial, sans-serif"
WIDTH = 460
LABEL_SEPARATION = 3  # least room between tick labels ("150160" otherwise, at a flush end)


def _config() -> alt.Config:
    return alt.Config(
        font=FONT,
        view=alt.ViewConfig(stroke=None),
        # No label limits: truncating a label makes Vega measure it piece by piece, which was half of a
        # chart's layout time; the documents' labels are short enough to show whole.
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=11, grid=False, labelLimit=0,
                            labelSeparation=LABEL_SEPARATION),
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
    bar takes the accent colour. Documents draw it natively (``compose.bar_chart``); ``to_altair`` gives the
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


def bar(rows: list[dict], category: str, value: str, value_title: str,
        highlight: str | None = None, value_format: str = ",.0f",
        domain: tuple[float, float] | None = None) -> BarChart:
    """The house bar chart (see ``BarChart``)."""
    decimals_of(value_format)  # an unsupported format fails here, where it is written
    return BarChart(tuple(rows), category, value, value_title, highlight, value_format,
                    tuple(domain) if domain else None)


def decimals_of(specifier: str) -> int:
    """Digits after the point of a d3 fixed-point specifier such as ",.1f"."""
    if not (specifier.startswith(",.") and specifier.endswith("f") and specifier[2:-1].isdigit()):
        raise ValueError(f"unsupported number format {specifier!r}: use ',.<digits>f'")
    return int(specifier[2:-1])
