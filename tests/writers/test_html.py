"""The HTML writer: one self-contained, valid, escaped page from the composed document tree."""

from __future__ import annotations

import base64
import re
import shutil
import struct
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import altair as alt
import clients  # tests/clients.py (tests/ is on sys.path through its conftest)
import pytest
import vl_convert as vlc
from conftest import ROOT as REPO

from cluster_reports import __version__
from cluster_reports.compose import markdown
from cluster_reports.compose.tree import (
    Block,
    Chart,
    Document,
    Figure,
    Heading,
    Paragraph,
    Properties,
    Run,
    Table,
)
from cluster_reports.writers.html import HtmlWriterError, render_html, write_html

TEMPLATES = REPO / "templates"

HOSTILE = '<script>alert(1)</script> & "kutipan" \'tunggal\' {{ 7*7 }}'
LABELS = {
    "id": {"table": "Tabel", "figure": "Gambar", "contents": "Daftar Isi"},
    "en": {"table": "Table", "figure": "Figure", "contents": "Contents"},
}


# --- a small HTML tree, enough to ask questions of the page --------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class El:
    tag: str
    attrs: dict[str, str | None]
    children: list[El | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None):
        for child in self.children:
            if isinstance(child, El):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def all(self, tag: str, **attrs: str) -> list[El]:
        return [e for e in self.iter(tag)
                if all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]

    def one(self, tag: str, **attrs: str) -> El:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = El("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = El(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(El(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(source: str) -> El:
    builder = _Builder()
    builder.feed(source)
    builder.close()
    return builder.root


# --- the documents ----------------------------------------------------------------------------

def make_chart(rows: list[dict], alt_text: str) -> Chart:
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color="#1f6f78")
        .encode(y=alt.Y("kelas:N", sort=None, title=None), x=alt.X("usaha:Q", title="Usaha"))
        .properties(width=420, height=90)
    )
    spec = chart.to_json()
    return Chart(png=vlc.vegalite_to_png(spec), svg=vlc.vegalite_to_svg(spec), alt=alt_text)


SIZES = [{"kelas": "Mikro", "usaha": 356}, {"kelas": "Kecil", "usaha": 49},
         {"kelas": "Menengah", "usaha": 7}]

SOURCE_ID = f"""\
::: cover
# Laporan Profil Sentra: Gerabah Kasongan

Kabupaten Bantul, Daerah Istimewa Yogyakarta

Disusun oleh {markdown.escape(HOSTILE)}

November 2026
:::

::: toc
:::

::: pagebreak
:::

{{#ringkasan}}
# 1. Ringkasan

::: block ringkasan-umum
Sentra gerabah Kasongan terdiri atas **412 usaha** yang mempekerjakan sekitar 1.600 orang.
Sebagian besar adalah usaha *mikro* dengan kurang dari lima pekerja.
:::

# 2. Profil usaha

## 2.1 Struktur usaha

::: block struktur-usaha
Struktur usaha menurut kelas:

- usaha mikro menguasai sebagian besar jumlah unit;
- usaha kecil dan menengah menyerap lebih banyak tenaga kerja per unit;
- kemitraan dengan eksportir di Yogyakarta masih terbatas.
:::

::: table tab-struktur
Jumlah usaha dan tenaga kerja menurut kelas usaha

| Kelas usaha | Jumlah usaha | Tenaga kerja | Pangsa usaha (%) |
|:--|--:|--:|--:|
| Mikro (kurang dari 5 orang) | 356 | 1.068 | 86,4 |
| Kecil (5 sampai 19 orang) | 49 | 402 | 11,9 |
| Menengah (20 sampai 99 orang) | 7 | 161 | 1,7 |
| **Jumlah** | **412** | **1.631** | **100,0** |
:::

::: figure fig-struktur
Jumlah usaha menurut kelas usaha

![Diagram batang jumlah usaha: mikro 356, kecil 49, menengah 7](chart:firm-sizes)
:::

## 2.2 Pasar

::: table tab-pasar
Pangsa penjualan menurut saluran pemasaran

| Saluran | Pangsa (%) | Nilai (juta Rp) |
|:--|--:|--:|
| Pasar lokal | 45 | 2.340 |
| Pedagang antarpulau | 30 | 1.560 |
| Ekspor melalui eksportir | 25 | 1.300 |
:::

::: note illustrative
Nilai penjualan pada tabel di atas bersifat ilustratif dan perlu diverifikasi di lapangan.
:::

# 3. Catatan fasilitator

### Masukan pelaku usaha

::: block masukan
Seorang pelaku usaha menulis: {markdown.escape(HOSTILE)}

Informasi lanjut di [situs dinas](https://dinas.example.go.id/sentra), melalui
[surel](mailto:fasilitator@example.org) atau pada [Tabel 1](#tab-struktur).
Perintah contoh: `cluster-reports render`.
:::
"""

SOURCE_EN = """\
::: cover
# Cluster Profiling Report: Kasongan Pottery

Bantul Regency, Special Region of Yogyakarta
:::

::: toc
:::

# 1. Summary

::: block summary
The Kasongan pottery cluster counts **412 firms**, most of them *micro* enterprises with fewer
than five workers, selling to local markets, inter-island traders and exporters.
:::

::: table tab-firms
Firms by size class

| Size class | Firms | Workers |
|:--|--:|--:|
| Micro | 356 | 1,068 |
| Small | 49 | 402 |
:::

::: figure fig-firms
Firms by size class

![Bar chart of firms: micro 356, small 49, medium 7](chart:firm-sizes)
:::
"""


def properties(lang: str, title: str) -> Properties:
    return Properties(
        title=title,
        subject="Kerajinan" if lang == "id" else "Crafts",
        lang=lang,
        cluster_id="34-02-gerabah-kasongan",
        params_hash="9f2c1e0b7a4d" + "0" * 52,
        generator_version=__version__,
        document_kind="profile",
        keywords=["Kasongan", "Bantul"],
    )


@pytest.fixture(scope="module")
def chart() -> Chart:
    return make_chart(SIZES, "Jumlah usaha: mikro 356, kecil 49, menengah 7")


@pytest.fixture(scope="module")
def doc_id(chart) -> Document:
    return Document(markdown.parse(SOURCE_ID), {"firm-sizes": chart},
                    properties("id", "Laporan Profil Sentra: Gerabah Kasongan"), LABELS["id"])


@pytest.fixture(scope="module")
def doc_en(chart) -> Document:
    return Document(markdown.parse(SOURCE_EN), {"firm-sizes": chart},
                    properties("en", "Cluster Profiling Report: Kasongan Pottery"), LABELS["en"])


@pytest.fixture(scope="module")
def pages(tmp_path_factory, doc_id, doc_en) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html")
    written = {}
    for lang, doc in (("id", doc_id), ("en", doc_en)):
        path = out / "34-02" / f"profile.{lang}.html"
        write_html(doc, path, TEMPLATES)
        written[lang] = path
    return written


@pytest.fixture(scope="module")
def raw(pages) -> str:
    return pages["id"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(raw) -> El:
    return parse_html(raw)


def meta(page: El) -> dict[str, str]:
    return {m.attrs["name"]: m.attrs["content"] for m in page.all("meta") if "name" in m.attrs}


# --- the page ---------------------------------------------------------------------------------

def test_language_and_metadata(page, raw):
    assert raw.startswith("<!DOCTYPE html>")
    assert page.one("html").attrs["lang"] == "id"
    assert page.one("meta", charset="utf-8")
    assert meta(page)["viewport"] == "width=device-width, initial-scale=1"
    assert page.one("title").text() == "Laporan Profil Sentra: Gerabah Kasongan"
    names = meta(page)
    assert names["generator"] == f"cluster-reports {__version__}"
    assert names["cluster-id"] == "34-02-gerabah-kasongan"
    assert names["params-hash"] == "9f2c1e0b7a4d" + "0" * 52
    assert names["document-kind"] == "profile"
    assert names["dcterms.language"] == "id-ID"
    assert names["keywords"] == "Kasongan, Bantul"


def test_english_page_uses_english_words(pages):
    page = parse_html(pages["en"].read_text(encoding="utf-8"))
    assert page.one("html").attrs["lang"] == "en"
    assert meta(page)["dcterms.language"] == "en-US"
    assert page.one("nav").one("h2").text() == "Contents"
    assert page.one("caption").text() == "Table 1: Firms by size class"
    assert page.one("figcaption").text() == "Figure 1: Firms by size class"


def test_cover_title_is_the_only_h1_and_headings_sit_below_it(page):
    cover = page.one("header", class_="cover")
    assert [h.text() for h in page.all("h1")] == ["Laporan Profil Sentra: Gerabah Kasongan"]
    assert cover.one("h1")
    lines = [p.text() for p in cover.all("p")]
    assert lines[0] == "Kabupaten Bantul, Daerah Istimewa Yogyakarta"
    assert len(lines) == 3
    assert [(h.tag, h.text()) for h in body_headings(page)] == [
        ("h2", "1. Ringkasan"), ("h2", "2. Profil usaha"), ("h3", "2.1 Struktur usaha"),
        ("h3", "2.2 Pasar"), ("h2", "3. Catatan fasilitator"), ("h4", "Masukan pelaku usaha"),
    ]


def body_headings(page: El) -> list[El]:
    """The document's headings (children of <main>; the contents' own title sits in <nav>)."""
    return [e for e in page.one("main").children if isinstance(e, El) and re.fullmatch(r"h[1-6]", e.tag)]


def test_toc_links_every_heading_in_a_nested_list(page, doc_id):
    nav = page.one("nav", class_="toc")
    title = nav.one("h2")
    assert title.text() == "Daftar Isi"
    assert nav.attrs["aria-labelledby"] == title.attrs["id"]
    headings = body_headings(page)
    links = [(a.attrs["href"], a.text()) for a in nav.all("a")]
    assert links == [(f"#{h.attrs['id']}", h.text()) for h in headings]
    assert len(links) == len(doc_id.headings())
    assert headings[0].attrs["id"] == "ringkasan"  # the document's own id
    assert [h.attrs["id"] for h in headings[1:]] == ["h-2", "h-3", "h-4", "h-5", "h-6"]
    top = nav.all("ol")[0]
    assert [li.all("a")[0].text() for li in top.children if isinstance(li, El)] == [
        "1. Ringkasan", "2. Profil usaha", "3. Catatan fasilitator"]


def test_blocks_keep_their_ids(page, doc_id):
    sections = page.all("section")
    assert [s.attrs["id"] for s in sections] == doc_id.block_ids()
    for section in sections:
        assert section.classes() == {"block"}
        assert section.attrs["data-block-id"] == section.attrs["id"]
    items = [li.text() for li in page.one("section", id="struktur-usaha").all("li")]
    assert len(items) == 3 and items[0].startswith("usaha mikro")


def test_tables_are_numbered_with_head_body_and_numeric_cells(page):
    tables = page.all("table")
    assert [t.attrs["id"] for t in tables] == ["tab-struktur", "tab-pasar"]
    assert [t.one("caption").text() for t in tables] == [
        "Tabel 1: Jumlah usaha dan tenaga kerja menurut kelas usaha",
        "Tabel 2: Pangsa penjualan menurut saluran pemasaran",
    ]
    first = tables[0]
    head = [th.text() for th in first.one("thead").all("th")]
    assert head == ["Kelas usaha", "Jumlah usaha", "Tenaga kerja", "Pangsa usaha (%)"]
    assert [th.attrs.get("class") for th in first.one("thead").all("th")] == [
        None, "num", "num", "num"]
    rows = first.one("tbody").all("tr")
    assert len(rows) == 4
    assert [(td.text(), td.attrs.get("class")) for td in rows[0].all("td")] == [
        ("Mikro (kurang dari 5 orang)", None), ("356", "num"), ("1.068", "num"),
        ("86,4", "num")]
    assert rows[3].all("td")[1].one("strong").text() == "412"
    wrap = page.all("div", class_="table-wrap")
    assert len(wrap) == 2
    assert wrap[0].attrs["aria-labelledby"] == first.one("caption").attrs["id"]


def test_figures_inline_the_chart_as_svg(page, chart):
    figure = page.one("figure", id="fig-struktur")
    img = figure.one("img")
    prefix = "data:image/svg+xml;base64,"
    assert img.attrs["src"].startswith(prefix)
    assert base64.b64decode(img.attrs["src"][len(prefix):]).decode() == chart.svg
    assert img.attrs["alt"] == "Diagram batang jumlah usaha: mikro 356, kecil 49, menengah 7"
    assert int(img.attrs["width"]) > 0 and int(img.attrs["height"]) > 0
    assert figure.one("figcaption").text() == "Gambar 1: Jumlah usaha menurut kelas usaha"


def test_note_and_page_break(page):
    note = page.one("aside")
    assert note.classes() == {"note", "note-illustrative"}
    assert "ilustratif" in note.text()
    assert len(page.all("div", class_="page-break")) == 1


def test_links_code_and_emphasis(page):
    section = page.one("section", id="masukan")
    hrefs = [a.attrs["href"] for a in section.all("a")]
    assert hrefs == ["https://dinas.example.go.id/sentra", "mailto:fasilitator@example.org",
                     "#tab-struktur"]
    assert section.one("code").text() == "cluster-reports render"
    assert page.one("section", id="ringkasan-umum").one("em").text() == "mikro"


def test_user_text_is_escaped_and_never_markup(page, raw):
    assert "<script" not in raw.lower()
    assert not page.all("script")
    assert HOSTILE in page.one("section", id="masukan").text()
    assert HOSTILE in page.one("header", class_="cover").text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in raw
    assert "{{ 7*7 }}" in raw and "49</p>" not in raw  # shown, never evaluated


def test_hostile_values_everywhere_stay_text(tmp_path, chart):
    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    props = properties("en", evil)
    props.keywords = [evil]
    props.cluster_id = evil
    doc = Document(
        [
            Heading(1, [Run(evil)]),
            Block("b", [Paragraph([Run(evil, bold=True), Run("\n"), Run(evil, code=True)])]),
            Table("t", [Run(evil)], [[Run(evil)]], [[[Run(evil)]]], ["right"]),
            Figure("f", [Run(evil)], "c", evil),
        ],
        {"c": chart}, props, {"table": evil, "figure": evil, "contents": evil},
    )
    source = render_html(doc, TEMPLATES)
    assert "<script" not in source.lower()
    tree = parse_html(source)
    assert all("onerror" not in e.attrs for e in tree.iter())
    assert tree.one("title").text() == evil
    assert tree.one("h1").text() == evil  # without a cover, the title is the page's h1
    assert tree.one("img").attrs["alt"] == evil
    assert len(tree.all("img")) == 1


def test_only_safe_links_are_links():
    hrefs = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
             "vbscript:x", "file:///etc/passwd", "//evil.example/x", "http://", "https://a b",
             "ftp://example.org/", "#", "https://example.org/a?b=1&c=2", "mailto:a@example.org",
             "#h-1", "HTTP://EXAMPLE.ORG"]
    runs = [Run(f"[{i}]", href=h) for i, h in enumerate(hrefs)]
    doc = Document([Paragraph(runs)], {}, properties("en", "Links"), LABELS["en"])
    tree = parse_html(render_html(doc, TEMPLATES))
    kept = [a.attrs["href"] for a in tree.one("main").all("a")]
    assert kept == ["https://example.org/a?b=1&c=2", "mailto:a@example.org", "#h-1",
                    "HTTP://EXAMPLE.ORG"]
    assert tree.one("main").all("p")[0].text().startswith("[0][1][2]")


def test_page_is_self_contained(page, raw):
    assert not page.all("link") and not page.all("script") and not page.all("iframe")
    for element in page.iter():
        for name in ("src", "srcset", "poster", "data"):
            value = element.attrs.get(name)
            assert value is None or value.startswith("data:"), (element.tag, name, value[:60])
    style = "".join(s.text() for s in page.all("style"))
    assert "@import" not in style and "url(" not in style
    without_links = re.sub(r'<a href="[^"]*">', "<a>", raw)
    assert "http://" not in without_links and "https://" not in without_links
    for img in page.all("img"):
        svg = base64.b64decode(img.attrs["src"].split(",", 1)[1]).decode()
        assert not re.search(r'(?:href|src)="(?:https?:)?//', svg)
        assert "@import" not in svg and not re.search(r"url\(\s*['\"]?(?:https?:)?//", svg)


def test_generator_and_cluster_are_recorded_in_the_head_not_shown(page):
    metas = {m.attrs.get("name"): m.attrs.get("content") for m in page.all("meta")}
    assert metas["generator"] == f"cluster-reports {__version__}"
    assert metas["cluster-id"] == "34-02-gerabah-kasongan"
    assert not page.all("footer")  # nothing of the tool on the page


# --- errors and extension ---------------------------------------------------------------------

def test_missing_chart_is_a_clear_error_and_writes_nothing(tmp_path):
    doc = Document(markdown.parse(SOURCE_EN), {}, properties("en", "x"), LABELS["en"])
    target = tmp_path / "out" / "profile.en.html"
    with pytest.raises(HtmlWriterError, match="figure 'fig-firms' shows chart 'firm-sizes'"):
        write_html(doc, target, TEMPLATES)
    assert not target.exists()
    assert not list(tmp_path.rglob("*.part"))  # no temporary file left behind either


def test_duplicate_ids_are_rejected():
    nodes = [Heading(1, [Run("A")], "x"), Block("x", [Paragraph([Run("b")])])]
    doc = Document(nodes, {}, properties("en", "x"), LABELS["en"])
    with pytest.raises(HtmlWriterError, match="id 'x' is used twice"):
        render_html(doc, TEMPLATES)


def test_ids_with_white_space_are_rejected():
    doc = Document([Heading(1, [Run("A")], "two words")], {}, properties("en", "x"), LABELS["en"])
    with pytest.raises(HtmlWriterError, match="white space"):
        render_html(doc, TEMPLATES)


def test_generated_ids_avoid_the_documents_own():
    nodes = [Heading(1, [Run("First")]), Block("h-1", [Paragraph([Run("b")])]),
             Heading(2, [Run("Second")], "toc-title")]
    doc = Document([markdown.parse("::: toc\n:::\n")[0], *nodes], {}, properties("en", "x"),
                   LABELS["en"])
    tree = parse_html(render_html(doc, TEMPLATES))
    ids = [e.attrs["id"] for e in tree.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    assert tree.one("h2", id="h-1-2").text() == "First"
    assert tree.one("nav").attrs["aria-labelledby"] == "toc-title-2"


def test_rewriting_replaces_the_page_atomically(tmp_path, doc_en):
    target = tmp_path / "profile.en.html"
    target.write_text("old")
    write_html(doc_en, target, TEMPLATES)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["profile.en.html"]


def test_a_document_kind_may_override_layout_blocks(tmp_path, doc_en):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "html", templates / "html")
    (templates / "html" / "profile.html.j2").write_text(
        '{% extends "html/layout.html.j2" %}\n'
        "{% block footer %}<footer><p>Kind footer {{ properties.cluster_id }}</p></footer>"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    tree = parse_html(render_html(doc_en, templates))
    assert tree.one("footer").text() == "Kind footer 34-02-gerabah-kasongan"
    assert tree.one("table", id="tab-firms")  # the rest of the layout is inherited


# --- real clients -----------------------------------------------------------------------------

@pytest.mark.clients
def test_nu_html_checker_finds_no_errors(pages, tmp_path):
    edge = Document(
        [Heading(1, [Run("Links "), Run("here", href="https://example.org")]),
         Heading(3, [Run("Skipped a level")]),
         Paragraph([Run("x", href="javascript:alert(1)"), Run("\n"), Run("<b>&</b>")])],
        {}, properties("en", "Edge cases"), LABELS["en"],
    )
    edge_path = tmp_path / "edge.en.html"
    write_html(edge, edge_path, TEMPLATES)
    errors = clients.validate_html([pages["id"], pages["en"], edge_path])
    assert errors == []


@pytest.mark.clients
def test_chromium_renders_the_page(pages):
    dom = clients.chromium_dump_dom(pages["id"])
    tree = parse_html(dom)
    assert tree.one("title").text() == "Laporan Profil Sentra: Gerabah Kasongan"
    cells = [td.text() for td in tree.one("table", id="tab-struktur").all("td")]
    assert "1.068" in cells and "86,4" in cells
    assert tree.one("table", id="tab-pasar").one("caption").text().startswith("Tabel 2:")
    assert "<script" not in dom.lower()


@pytest.mark.clients
def test_chromium_screenshot(pages, tmp_path):
    png = clients.chromium_screenshot(pages["id"], tmp_path / "profile.id.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 2000)
    assert len(data) > 20_000  # a drawn page, not a blank one
