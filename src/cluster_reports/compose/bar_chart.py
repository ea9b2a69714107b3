"""The house bar chart, laid out here and drawn to SVG (for HTML) and PNG (for Word) from one layout.

Why not Vega for this one: a bar chart with its labels costs Vega about 20 ms to lay out and resvg
about as much again to rasterise its text, which was most of a profile's cost at national scale
(eight bar charts a cluster). A horizontal bar chart is simple enough to lay out with the font's own
metrics (Liberation Sans, metric-compatible with Arial, shipped in ``fonts/``) and draw with
Pillow, in about a tenth of that. It follows Vega-Lite's defaults (band rows, nice linear axis,
flush first and last tick labels, bold axis title) so it looks like the charts Vega still draws,
and its Vega-Lite spec stays available (``charts.BarChart.to_altair``) for notebooks.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from cluster_reports.documents.charts import LABEL_SEPARATION
from cluster_reports.documents.markdown_text import inert

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Liberation Sans, Arial, sans-serif"
FONT_SIZE = 11
PAD = 5  # around the whole chart, as Vega-Lite's default padding
TICK = 5  # tick length
LABEL_GAP = 2  # between tick and label
TITLE_GAP = 4  # between tick labels and axis title
BAR_HEIGHT = 18
VALUE_DX = 4  # value label after the bar's end
AXIS_COLOUR = "#888"
TEXT_COLOUR = "#000"
MIDDLE = 0.35  # baseline offset of vertically centred text, in font sizes (cap height / 2)
ASCENT = 0.8  # top of a top-aligned text to its baseline, in font sizes


@cache
def _font(bold: bool, size: float):
    from PIL import ImageFont

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def text_width(text: str, bold: bool = False) -> float:
    return _font(bold, FONT_SIZE).getlength(text)


# Shapes of a layout, in chart pixels (the SVG's units; the PNG multiplies them by its scale).


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    anchor: str  # "start", "middle", "end"
    bold: bool = False


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    shapes: tuple[Rect | Line | Text, ...]


# Numbers: the d3-format ",.<n>f" specifiers the charts use, in the document's locale.


def format_number(value: float, decimals: int, locale: dict) -> str:
    # JavaScript's toFixed, which d3 uses: the exact binary value, a tie rounded up (2.25 -> 2.3).
    rounded = Decimal(abs(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", locale["decimal"]).replace("\0", locale["thousands"])
    # d3 writes a real minus sign, and none before a value that rounds to zero.
    return "\u2212" + text if value < 0 and rounded != 0 else text


# Scales: d3's tick increment and nice domain, as Vega uses them.

_E10, _E5, _E2 = math.sqrt(50), math.sqrt(10), math.sqrt(2)


def tick_step(start: float, stop: float, count: int) -> float:
    step = (stop - start) / max(1, count)
    power = math.floor(math.log10(step))
    error = step / 10**power
    factor = 10 if error >= _E10 else 5 if error >= _E5 else 2 if error >= _E2 else 1
    return factor * 10.0**power


def nice(start: float, stop: float, count: int = 10) -> tuple[float, float]:
    if stop <= start:
        return start, stop
    for _ in range(10):
        step = tick_step(start, stop, count)
        new = (math.floor(start / step) * step, math.ceil(stop / step) * step)
        if new == (start, stop):
            break
        start, stop = new
    return start, stop


def ticks(start: float, stop: float, count: int) -> tuple[list[float], float]:
    step = tick_step(start, stop, count)
    first, last = math.ceil(start / step - 1e-9), math.floor(stop / step + 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)], step


# The layout ---------------------------------------------------------------------------------------


def layout(categories: list[str], values: list[float], value_title: str, width: int, height: int,
           colours: list[str], value_decimals: int, domain: tuple[float, float] | None,
           locale: dict) -> Layout:
    """Horizontal bars in row order, values at the bars' ends, a linear x axis with its title."""
    # Labels are user text: one line each (the font's layout fails on a line break), no controls.
    categories = [" ".join(inert(c).split()) for c in categories]
    value_title = " ".join(inert(value_title).split())
    low = min(0.0, *values) if values else 0.0
    high = max(0.0, *values) if values else 1.0
    x0, x1 = domain if domain else nice(low, high if high > low else low + 1)

    def x(v: float) -> float:
        # A value outside a fixed domain (a score above its maximum) ends its bar at the axis end.
        return min(max((v - x0) / (x1 - x0), 0.0), 1.0) * width

    label_widths = [text_width(c) for c in categories]
    left = PAD + (max(label_widths, default=0) + TICK + LABEL_GAP if categories else 0)
    top = PAD
    shapes: list[Rect | Line | Text] = []
    step = height / max(1, len(categories))
    right_edge = float(width)
    for i, (category, value, colour) in enumerate(zip(categories, values, colours, strict=True)):
        centre = top + (i + 0.5) * step
        a, b = sorted((x(0.0 if x0 <= 0 <= x1 else x0), x(value)))
        shapes.append(Rect(left + a, centre - BAR_HEIGHT / 2, b - a, BAR_HEIGHT, colour))
        label = format_number(value, value_decimals, locale)
        end = x(value) + VALUE_DX
        shapes.append(Text(left + end, centre + MIDDLE * FONT_SIZE, label, "start"))
        right_edge = max(right_edge, end + text_width(label))
        shapes.append(Line(left - TICK, centre, left, centre))
        shapes.append(Text(left - TICK - LABEL_GAP, centre + MIDDLE * FONT_SIZE, category, "end"))
    bottom = top + height
    shapes.append(Line(left, top, left, bottom))  # y domain
    shapes.append(Line(left, bottom, left + width, bottom))  # x domain
    tick_values, tick_size = ticks(x0, x1, math.ceil(width / 40))
    tick_decimals = max(0, -math.floor(math.log10(tick_size)))
    labels = _flush_labels(tick_values, x, tick_decimals, locale, width)
    for value in tick_values:
        shapes.append(Line(left + x(value), bottom, left + x(value), bottom + TICK))
    baseline = bottom + TICK + LABEL_GAP + ASCENT * FONT_SIZE
    for pos, text, anchor in labels:
        shapes.append(Text(left + pos, baseline, text, anchor))
    title_baseline = baseline + (1 - ASCENT) * FONT_SIZE + TITLE_GAP + ASCENT * FONT_SIZE
    shapes.append(Text(left + width / 2, title_baseline, value_title, "middle", bold=True))
    total_width = math.ceil(left + right_edge + PAD)
    total_height = math.ceil(title_baseline + (1 - ASCENT) * FONT_SIZE + PAD)
    return Layout(total_width, total_height, tuple(shapes))


def _flush_labels(values: list[float], x, decimals: int, locale: dict,
                  width: int) -> list[tuple[float, str, str]]:
    """Tick labels, the first and last flush with the axis ends; every other one dropped while
    neighbours overlap (Vega's "parity" strategy)."""
    placed = []
    for value in values:
        pos = x(value)
        anchor = "start" if pos <= 0.5 else "end" if pos >= width - 0.5 else "middle"
        placed.append((pos, format_number(value, decimals, locale), anchor))
    while len(placed) > 2 and _overlap(placed):
        placed = placed[::2]
    return placed


def _overlap(placed: list[tuple[float, str, str]]) -> bool:
    def extent(pos: float, text: str, anchor: str) -> tuple[float, float]:
        w = text_width(text)
        start = pos if anchor == "start" else pos - w if anchor == "end" else pos - w / 2
        return start, start + w

    spans = [extent(*p) for p in placed]
    return any(a[1] + LABEL_SEPARATION > b[0] for a, b in zip(spans, spans[1:], strict=False))


# Drawing ------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def to_svg(chart: Layout) -> str:
    """Plain SVG 1.1 (no script, no CSS), text as text: crisp at any zoom, searchable in the page."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{chart.width}" '
        f'height="{chart.height}" viewBox="0 0 {chart.width} {chart.height}">',
        f'<rect width="{chart.width}" height="{chart.height}" fill="white"/>',
    ]
    font = f'font-family={quoteattr(FONT_FAMILY)} font-size="{FONT_SIZE}px" fill="{TEXT_COLOUR}"'
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            parts.append(f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" '
                         f'height="{_n(shape.height)}" fill="{shape.fill}"/>')
        elif isinstance(shape, Line):
            # Half-pixel offsets keep one-pixel lines sharp, as Vega draws them.
            parts.append(f'<line x1="{_n(_crisp(shape.x1))}" y1="{_n(_crisp(shape.y1))}" '
                         f'x2="{_n(_crisp(shape.x2))}" y2="{_n(_crisp(shape.y2))}" '
                         f'stroke="{AXIS_COLOUR}" stroke-width="1"/>')
        else:
            weight = ' font-weight="bold"' if shape.bold else ""
            parts.append(f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" text-anchor="{shape.anchor}" '
                         f"{font}{weight}>{escape(shape.text)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _crisp(value: float) -> float:
    return math.floor(value) + 0.5


_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}
# The PNG is drawn in grey levels and stored with a palette: one byte a pixel, a third of RGB's cost
# to compress. Grey i is palette entry i, except two entries kept for the bar colours.

@cache
def _palette(fills: tuple[str, ...]) -> list[int]:
    palette = [level for i in range(256) for level in (i, i, i)]
    for index, fill in enumerate(fills, start=1):
        palette[3 * index : 3 * index + 3] = [int(fill[k : k + 2], 16) for k in (1, 3, 5)]
    return palette


@lru_cache(maxsize=512)  # the recurring ones (ticks, titles, classes); names and values churn
def _text_stamp(text: str, bold: bool, size: float, anchor: str):
    """A text's coverage mask and its offset from the anchor point: tick labels, category names and
    titles recur from chart to chart, so each is rasterised once."""
    from PIL import Image, ImageDraw

    font = _font(bold, size)
    left, top, right, bottom = font.getbbox(text, anchor=_ANCHORS[anchor])
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, fill=255, font=font, anchor=_ANCHORS[anchor])
    return mask, left, top


def to_png(chart: Layout, scale: float) -> bytes:
    from PIL import Image, ImageDraw

    size = (math.ceil(chart.width * scale), math.ceil(chart.height * scale))
    image = Image.new("L", size, 255)
    fills = tuple(dict.fromkeys(s.fill for s in chart.shapes if isinstance(s, Rect)))
    if len(fills) > 8:
        raise ValueError("a bar chart has at most eight bar colours")
    for shape in chart.shapes:
        if isinstance(shape, Text):
            mask, left, top = _text_stamp(shape.text, shape.bold, FONT_SIZE * scale, shape.anchor)
            image.paste(0, (round(shape.x * scale) + left, round(shape.y * scale) + top), mask)
    # Text is antialiased grey; the darkest greys would read as bar colours: lift them past those.
    image = image.point([max(v, len(fills) + 1) if 0 < v <= len(fills) else v for v in range(256)])
    draw = ImageDraw.Draw(image)
    for shape in chart.shapes:
        if isinstance(shape, Rect) and shape.width > 0:
            draw.rectangle(
                (round(shape.x * scale), round(shape.y * scale),
                 round((shape.x + shape.width) * scale) - 1, round((shape.y + shape.height) * scale) - 1),
                fill=fills.index(shape.fill) + 1,
            )
    grey = int(AXIS_COLOUR[1], 16) * 17  # "#888"
    for shape in chart.shapes:
        if isinstance(shape, Line):
            draw.line((math.floor(shape.x1) * scale, math.floor(shape.y1) * scale,
                       math.floor(shape.x2) * scale, math.floor(shape.y2) * scale),
                      fill=grey, width=max(1, round(scale)))
    indexed = Image.frombytes("P", size, image.tobytes())
    indexed.putpalette(_palette(fills))
    buffer = io.BytesIO()
    # Pixels per inch as Vega's PNGs state them (72 at scale 1), so Word sizes both alike. Light
    # compression: half the time of the default level, for a file about a tenth larger.
    indexed.save(buffer, "PNG", dpi=(72 * scale, 72 * scale), compress_level=1)
    return buffer.getvalue()
