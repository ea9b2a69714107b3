"""Charts and the caches of the in-process rendering path.

The fast paths (a bar chart built in one go, the house style set in one step, the PNG rasterised
from the SVG, charts and template environments kept per process) must give what the plain ways
give: the same Vega-Lite spec, the same image bytes, a template edited on disk picked up.
"""

from __future__ import annotations

import os
import shutil

import altair as alt
import pytest
import vl_convert as vlc

from cluster_reports import charts, compose, i18n, templating

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
        .configure_axis(labelFontSize=11, titleFontSize=11, grid=False, labelLimit=0)
        .configure_legend(labelLimit=0)
    )


@pytest.fixture(autouse=True)
def empty_chart_cache():
    charts.clear_cache()
    yield
    charts.clear_cache()


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


def test_render_gives_vl_converts_own_png_and_svg():
    chart = charts.bar(ROWS, "class", "firms", "Usaha", highlight="Kecil")
    spec = chart.to_json()
    locale = charts._number_locale("id_ID")
    rendered = charts.render(chart, "Usaha per kelas", "id_ID")
    assert rendered.svg == vlc.vegalite_to_svg(spec, format_locale=locale)
    assert rendered.png == vlc.vegalite_to_png(spec, scale=2, format_locale=locale)
    assert rendered.alt == "Usaha per kelas"
    assert "1.356" in rendered.svg  # Indonesian thousands separator


def test_a_chart_drawn_again_comes_from_the_cache(monkeypatch):
    calls = []

    def draw(spec, **options):
        calls.append(spec)
        return f"<svg>{len(calls)}</svg>"

    monkeypatch.setattr(charts.vlc, "vegalite_to_svg", draw)
    monkeypatch.setattr(charts.vlc, "svg_to_png", lambda svg, **k: svg.encode())
    first = charts.render(charts.bar(ROWS, "class", "firms", "Firms"), "first", "en_US")
    again = charts.render(charts.bar(ROWS, "class", "firms", "Firms"), "second", "en_US")
    assert len(calls) == 1
    assert (again.png, again.svg, again.alt) == (first.png, first.svg, "second")
    # Another locale, another value: another chart.
    charts.render(charts.bar(ROWS, "class", "firms", "Firms"), "id", "id_ID")
    charts.render(charts.bar(ROWS[:2], "class", "firms", "Firms"), "fewer", "en_US")
    assert len(calls) == 3


def test_the_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(charts, "CACHE_SIZE", 3)
    monkeypatch.setattr(charts.vlc, "vegalite_to_svg", lambda spec, **k: f"<svg>{len(spec)}</svg>")
    monkeypatch.setattr(charts.vlc, "svg_to_png", lambda svg, **k: svg.encode())
    for n in range(10):
        charts.render(charts.bar([{"c": "a", "v": n}], "c", "v", "V"), "", "en_US")
    assert len(charts._cache) == 3


def test_every_chart_of_the_sample_documents_is_valid_vega_lite(sample, templates):
    """``render`` skips Altair's schema validation for speed; this is where the specs are checked."""
    from cluster_reports import summary

    peers = [summary.summarise(item) for item in sample]
    checked = 0
    for item in sample:
        for kind, spec in compose.KINDS.items():
            if compose.unavailable_reason(item, kind):
                continue
            for lang in i18n.LANGUAGES:
                labels = i18n.labels(templates, lang)
                context = compose.make_context(item, kind, peers, labels)
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
