"""Charts and the caches of the in-process rendering path.

The fast paths (a bar chart's spec built in one go and the chart drawn natively, the house style set
in one step, the PNG rasterised from the SVG, charts and template environments kept per process)
must give what the plain ways give: the same Vega-Lite spec, what Vega shows, the same image bytes,
a template edited on disk picked up.
"""

from __future__ import annotations

import io
import os
import shutil
from xml.etree import ElementTree

import altair as alt
import pytest
import vl_convert as vlc
from PIL import Image

from cluster_reports.compose import bar_chart, composer, templating
from cluster_reports.compose import charts as drawing
from cluster_reports.documents import charts, i18n, registry

ROWS = [{"class": "Mikro", "firms": 1356}, {"class": "Kecil", "firms": 49},
        {"class": "Menengah", "firms": 7}]


def chained_bar(rows, category, value, value_title, highlight=None, value_format=",.0f", domain=None):
    """``charts.bar`` as Altair's chained API writes it (the way it was first written)."""
    order = [r[category] for r in rows]
    scale = alt.Scale(domain=list(domain)) if domain else alt.Undefined
    color = (
        alt.condition(alt.datum[category] == highlight, alt.value(charts.ACCENT), alt.value(charts.MUTED))
        if highlight is not None
        else alt.value(charts.ACCENT)
    )
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        x=alt.X(f"{value}:Q", title=value_title, scale=scale),
    )
    bars = base.mark_bar(height=18).encode(color=color)
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format=value_format)
    )
    return chained_style((bars + text).properties(width=charts.WIDTH, height=max(60, 28 * len(rows))))


def chained_style(chart):
    return (
        chart.configure(font=charts.FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=11, grid=False, labelLimit=0,
                        labelSeparation=3)
        .configure_legend(labelLimit=0)
    )


@pytest.fixture(autouse=True)
def empty_chart_cache():
    drawing.clear_cache()
    yield
    drawing.clear_cache()


@pytest.mark.parametrize("options", [
    {},
    {"highlight": "Kecil"},
    {"domain": (0, 5)},
    {"highlight": "Mikro", "value_format": ",.1f", "domain": (0, 100)},
])
def test_bar_is_the_spec_of_the_chained_api(options):
    fast = charts.bar(ROWS, "class", "firms", "Usaha", **options).to_dict()
    assert fast == chained_bar(ROWS, "class", "firms", "Usaha", **options).to_dict()


def test_style_is_the_chained_configuration():
    chart = (
        alt.Chart(alt.Data(values=ROWS)).mark_point().encode(x="firms:Q", y="class:N")
        + alt.Chart(alt.Data(values=ROWS)).mark_rule().encode(x="firms:Q")
    ).properties(width=300)
    before = chart.to_dict()
    assert charts.style(chart).to_dict() == chained_style(chart).to_dict()
    assert chart.to_dict() == before  # the chart styled is left as it was


def _layered_chart() -> alt.LayerChart:
    return charts.style(
        (
            alt.Chart(alt.Data(values=ROWS)).mark_point().encode(x="firms:Q", y="class:N")
            + alt.Chart(alt.Data(values=ROWS)).mark_rule().encode(x="firms:Q")
        ).properties(width=300)
    )


def test_other_charts_get_vl_converts_own_png_and_svg():
    chart = _layered_chart()
    spec = chart.to_json()
    locale = drawing._number_locale("id_ID")
    rendered = drawing.render(chart, "Usaha per kelas", "id_ID")
    assert rendered.svg == vlc.vegalite_to_svg(spec, format_locale=locale)
    assert rendered.png == vlc.vegalite_to_png(spec, scale=2, format_locale=locale)
    assert rendered.alt == "Usaha per kelas"
    assert "1.356" in rendered.svg or "1.400" in rendered.svg  # Indonesian thousands separator


def _visible_texts(svg: str) -> list[str]:
    """Texts of an SVG that show (Vega hides labels dropped for overlap with opacity 0)."""
    root = ElementTree.fromstring(svg)
    return sorted(
        el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text") if el.get("opacity") != "0"
    )


def _size(svg: str) -> tuple[float, float]:
    root = ElementTree.fromstring(svg)
    return float(root.get("width")), float(root.get("height"))


MANY = [{"class": f"Sentra {i}", "firms": i * 123456} for i in range(12)]
SCORES = [{"class": "Permintaan", "firms": 3.5}, {"class": "Faktor", "firms": 2.25},
          {"class": "Modal sosial", "firms": 4}]


@pytest.mark.parametrize("rows", [ROWS, MANY, SCORES], ids=["sizes", "twelve", "scores"])
@pytest.mark.parametrize("options", [
    {},
    {"highlight": "Kecil"},
    {"highlight": "Mikro", "value_format": ",.1f", "domain": (0, 100)},
])
@pytest.mark.parametrize("locale", ["id_ID", "en_US"])
def test_a_bar_chart_shows_what_vega_shows(rows, options, locale):
    """Drawn natively for speed, the house bar chart keeps Vega's look: the same texts shown (labels,
    values, ticks left after overlap, title) and the same size to a pixel or two."""
    chart = charts.bar(rows, "class", "firms", "Usaha", **options)
    vega = vlc.vegalite_to_svg(chart.to_altair().to_json(), format_locale=drawing._number_locale(locale))
    native = drawing.render(chart, "", locale).svg
    assert _visible_texts(native) == _visible_texts(vega)
    (w1, h1), (w2, h2) = _size(native), _size(vega)
    assert abs(h1 - h2) <= 2
    if all(r["firms"] <= options.get("domain", (0, 1e12))[1] for r in rows):
        # (Vega lets a bar run past a fixed domain; the house chart ends it at the axis.)
        assert abs(w1 - w2) <= 2


def test_a_bar_charts_png_is_its_svg_at_twice_the_size_in_the_house_colours():
    rendered = drawing.render(charts.bar(ROWS, "class", "firms", "Usaha", highlight="Kecil"), "", "id_ID")
    width, height = _size(rendered.svg)
    image = Image.open(io.BytesIO(rendered.png))
    assert image.size == (int(width) * 2, int(height) * 2)
    assert round(image.info["dpi"][0]) == 144
    colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1 << 16)}
    assert {(0x1F, 0x6F, 0x78), (0x9D, 0xBE, 0xC2), (255, 255, 255), (0, 0, 0)} <= colours
    assert 'fill="#1f6f78"' in rendered.svg and 'fill="#9dbec2"' in rendered.svg


def test_user_text_in_a_bar_chart_is_text_not_markup():
    rows = [{"c": '<script>alert("x")</script> & Co', "v": 3}]
    svg = drawing.render(charts.bar(rows, "c", "v", "A <b>title</b>"), "", "en_US").svg
    assert "<script>" not in svg and "<b>" not in svg
    assert '<script>alert("x")</script> & Co' in _visible_texts(svg)
    assert "A <b>title</b>" in _visible_texts(svg)


def test_a_value_beyond_a_fixed_domain_ends_at_the_axis():
    chart = charts.bar([{"c": "a", "v": 7}], "c", "v", "Score", domain=(0, 5))
    layout = drawing.layout(chart, "en_US")
    bars = [s for s in layout.shapes if isinstance(s, bar_chart.Rect)]
    assert bars[0].width == pytest.approx(charts.WIDTH)
    assert layout.width < charts.WIDTH + 200


def test_numbers_follow_d3_and_the_locale():
    id_, en = drawing._number_locale("id_ID"), drawing._number_locale("en_US")
    assert bar_chart.format_number(1234567.25, 1, id_) == "1.234.567,3"
    assert bar_chart.format_number(1234567.25, 0, en) == "1,234,567"
    assert bar_chart.format_number(-2.5, 1, en) == "\u22122.5"
    assert bar_chart.format_number(-0.01, 1, en) == "0.0"
    assert bar_chart.nice(0, 1356) == (0, 1400)
    assert bar_chart.nice(0, 87.3) == (0, 90)
    assert bar_chart.ticks(0, 100, 12) == ([float(v) for v in range(0, 101, 10)], 10)
    with pytest.raises(ValueError, match="unsupported number format"):
        charts.bar(ROWS, "class", "firms", "Usaha", value_format="$.2s")


def test_a_chart_drawn_again_comes_from_the_cache(monkeypatch):
    calls = []
    draw = bar_chart.to_svg

    def counted(layout):
        calls.append(layout)
        return draw(layout)

    monkeypatch.setattr(bar_chart, "to_svg", counted)
    first = drawing.render(charts.bar(ROWS, "class", "firms", "Firms"), "first", "en_US")
    again = drawing.render(charts.bar(ROWS, "class", "firms", "Firms"), "second", "en_US")
    assert len(calls) == 1
    assert (again.png, again.svg, again.alt) == (first.png, first.svg, "second")
    # Another locale, another value: another chart.
    drawing.render(charts.bar(ROWS, "class", "firms", "Firms"), "id", "id_ID")
    drawing.render(charts.bar(ROWS[:2], "class", "firms", "Firms"), "fewer", "en_US")
    assert len(calls) == 3


def test_the_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(drawing, "CACHE_SIZE", 3)
    for n in range(10):
        drawing.render(charts.bar([{"c": "a", "v": n}], "c", "v", "V"), "", "en_US")
    assert len(drawing._cache) == 3


def test_every_chart_of_the_sample_documents_is_valid_vega_lite(sample, templates):
    """``render`` skips Altair's schema validation for speed; this is where the specs are checked."""
    from cluster_reports.domain import summary

    peers = [summary.summarise(item) for item in sample]
    checked = 0
    for item in sample:
        for kind, spec in registry.KINDS.items():
            if registry.unavailable_reason(item, kind):
                continue
            for lang in i18n.LANGUAGES:
                labels = i18n.labels(templates, lang)
                context = composer.make_context(item, kind, peers, labels)
                for _name, (chart, _alt) in spec.charts(context, labels, i18n.Formatter(lang)).items():
                    chart.to_dict(validate=True)  # raises on an invalid spec
                    checked += 1
    assert checked > 40


def test_a_template_edited_on_disk_is_picked_up(tmp_path, templates):
    """Template environments are kept per process; an edited template must still be re-read."""
    library = tmp_path / "templates"
    shutil.copytree(templates / "labels", library / "labels")
    page = library / "page.md.j2"
    page.write_text("first {{ x }}\n", encoding="utf-8")
    assert templating.render(library, "page.md.j2", "en", {"x": 1}) == "first 1\n"
    page.write_text("second {{ x }}\n", encoding="utf-8")
    stat = page.stat()  # a later modification time, as an editor saving a second later gives
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert templating.render(library, "page.md.j2", "en", {"x": 2}) == "second 2\n"
    assert templating.environment(library, "en") is templating.environment(library, "en")
