"""The HTML documents as a set: each page links to the cluster's other documents, to itself in the
other language and to the list of all documents, by relative links to files that exist; roll-ups
link to their clusters' documents; wide tables print whole (Chromium) and the pages stay valid (Nu)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import clients  # tests/clients.py
import pytest
from conftest import ROOT, SAMPLE
from typer.testing import CliRunner

from cluster_reports.batch import engines
from cluster_reports.cli import app
from cluster_reports.compose.tree import Document, Properties, Run, Table
from cluster_reports.documents import i18n
from cluster_reports.writers.html import render_html

TEMPLATES = ROOT / "templates"
CLUSTER = "kebumen-roof-tile"  # the pilot with every sidecar: all five documents
FOLDER = Path("jawa-tengah", CLUSTER)
KINDS = ("profile", "strategy", "action-plan", "monitoring", "guideline")
LABELS = {lang: i18n.labels(TEMPLATES, lang) for lang in i18n.LANGUAGES}


def _render(out: Path, *targets: str, doc: str, lang: str = "id,en", fmt: str = "html") -> str:
    result = CliRunner().invoke(app, ["render", *targets, "--doc", doc, "--lang", lang, "--format", fmt,
                                      "--out", str(out), "--params-root", str(SAMPLE)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


class _Nav(HTMLParser):
    """The links of the page's navigation bar (text, href, attributes) and every href of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.links: list[dict] = []
        self.hrefs: list[str] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "doc-nav" in (attrs.get("class") or ""):
            self.depth = 1
        elif tag == "nav" and self.depth:
            self.depth += 1
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
            if self.depth:
                self._open = {"text": "", **attrs}

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1
        if tag == "a" and self._open is not None:
            self.links.append(self._open)
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def nav_of(page: Path) -> _Nav:
    parser = _Nav()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def dead_links(root: Path) -> list[str]:
    """Every relative link of every page under ``root`` that does not lead to a file."""
    dead = []
    for page in sorted(root.rglob("*.html")):
        for href in nav_of(page).hrefs:
            if href.startswith(("#", "http:", "https:", "mailto:")):
                continue
            target = page.parent / unquote(urlsplit(href).path)
            if not target.is_file():
                dead.append(f"{page.relative_to(root)}: {href}")
    return dead


@pytest.fixture(scope="module")
def full_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("navset")
    _render(out, CLUSTER, doc=",".join(KINDS))
    return out


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_page_links_the_clusters_other_documents_its_other_language_and_the_index(full_set, kind, lang):
    page = full_set / FOLDER / f"{kind}.{lang}.html"
    t = LABELS[lang]
    links = {link["text"]: link for link in nav_of(page).links}
    # The cluster's five documents in the page's language, named as the documents name themselves.
    for other in KINDS:
        link = links[t(f"document.{other}")]
        assert link["href"] == f"{other}.{lang}.html"
        assert ("aria-current" in link) == (other == kind)
    other_lang = next(x for x in i18n.LANGUAGES if x != lang)
    switch = links[t(f"navigation.language.{other_lang}")]
    assert switch["href"] == f"{kind}.{other_lang}.html" and switch["hreflang"] == other_lang
    assert links[t("navigation.index")]["href"] == "../../index.html"
    assert len(links) == len(KINDS) + 2


def test_navigation_words_are_the_documents_words():
    assert LABELS["id"]("navigation.language.en") == "Versi bahasa Inggris"
    assert LABELS["en"]("navigation.language.id") == "Indonesian version"
    assert LABELS["id"]("navigation.index") == "Daftar semua dokumen"


def test_no_link_of_the_set_is_dead_and_every_link_is_relative(full_set):
    assert (full_set / "index.html").is_file()
    assert dead_links(full_set) == []
    for page in full_set.rglob("*.html"):
        for href in nav_of(page).links:
            assert not re.match(r"^(/|[a-z]+:)", href["href"]), (page, href)
            assert str(full_set) not in href["href"]


def test_the_set_works_when_the_folder_is_moved(full_set, tmp_path):
    moved = tmp_path / "copy" / "elsewhere"
    shutil.copytree(full_set, moved)
    assert dead_links(moved) == []


def test_the_index_render_writes_lists_every_document_with_working_links(full_set):
    index = full_set / "index.html"
    parser = nav_of(index)
    for kind in KINDS:
        for lang in i18n.LANGUAGES:
            assert f"{FOLDER.as_posix()}/{kind}.{lang}.html" in parser.hrefs
    text = index.read_text(encoding="utf-8")
    assert "Daftar dokumen" in text  # the first language asked for, id
    assert "Kebumen roof-tile cluster (Kebumen Sokka)" in text  # the cluster by its name


def test_pages_link_only_to_what_exists(tmp_path):
    _render(tmp_path, CLUSTER, doc="profile", lang="id")
    page = tmp_path / FOLDER / "profile.id.html"
    texts = [link["text"] for link in nav_of(page).links]
    assert texts == [LABELS["id"]("navigation.index")]  # no other language, no other document yet
    assert dead_links(tmp_path) == []


def test_a_document_written_later_is_linked_from_the_pages_beside_it(tmp_path):
    """Rendering the strategy after the profile gives the profile's bar a link to it, and changes
    nothing else in the profile's page."""
    _render(tmp_path, CLUSTER, doc="profile", lang="id")
    profile = tmp_path / FOLDER / "profile.id.html"
    before = profile.read_text(encoding="utf-8")
    _render(tmp_path, CLUSTER, doc="strategy", lang="id,en")
    after = profile.read_text(encoding="utf-8")
    hrefs = [link["href"] for link in nav_of(profile).links]
    assert "strategy.id.html" in hrefs and "strategy.en.html" not in hrefs
    bar = re.compile(r'<nav class="doc-nav".*?</nav>', re.S)
    assert bar.sub("", before) == bar.sub("", after)
    assert dead_links(tmp_path) == []


def test_pages_written_one_at_a_time_link_each_other_as_a_set_does(tmp_path, sample_by_id, full_set):
    """The batch's direct engine writes one document after another (no list of what is coming)."""
    jobs = [engines.Job(kind, lang, ("html",)) for kind in KINDS for lang in i18n.LANGUAGES]
    results = engines.render_direct(sample_by_id[CLUSTER], jobs, tmp_path, [], TEMPLATES)
    assert {r.status for r in results} == {"rendered"}
    for kind in KINDS:
        for lang in i18n.LANGUAGES:
            page = FOLDER / f"{kind}.{lang}.html"
            assert nav_of(tmp_path / page).links == nav_of(full_set / page).links, page


def test_render_leaves_a_batch_index_alone(tmp_path):
    (tmp_path / "manifest.sqlite").write_bytes(b"")
    (tmp_path / "index.html").write_text("the batch's index", encoding="utf-8")
    _render(tmp_path, CLUSTER, doc="profile", lang="en")
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "the batch's index"


def test_a_word_only_render_writes_no_index_page(tmp_path):
    _render(tmp_path, CLUSTER, doc="profile", lang="en", fmt="docx")
    assert not (tmp_path / "index.html").exists()


@pytest.fixture(scope="module")
def rollup_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("navrollups")
    _render(out, str(SAMPLE / "jawa-tengah"), doc="profile,strategy,province-summary,national-summary")
    return out


def test_the_province_report_links_its_clusters_documents_and_the_national_summary(rollup_set):
    page = rollup_set / "jawa-tengah" / "province-summary.en.html"
    t = LABELS["en"]
    links = nav_of(page).links
    hrefs = [link["href"] for link in links]
    clusters = sorted(p.stem for p in (SAMPLE / "jawa-tengah").glob("*.yaml") if p.stem.count(".") == 0)
    for cluster in clusters:
        assert f"{cluster}/profile.en.html" in hrefs
    assert f"{CLUSTER}/strategy.en.html" in hrefs
    assert "tegal-metalwork/strategy.en.html" not in hrefs  # it has no strategy
    by_text = {link["text"]: link["href"] for link in links}
    assert by_text[t("document.national-summary")] == "../national-summary.en.html"
    assert by_text[t("navigation.index")] == "../index.html"
    assert by_text[t("navigation.language.id")] == "province-summary.id.html"
    assert "Kebumen roof-tile cluster (Kebumen Sokka)" in page.read_text(encoding="utf-8")


def test_the_national_summary_links_the_provinces_reports(rollup_set):
    page = rollup_set / "national-summary.id.html"
    hrefs = [link["href"] for link in nav_of(page).links]
    assert "jawa-tengah/province-summary.id.html" in hrefs and "index.html" in hrefs
    assert dead_links(rollup_set) == []


def _table(name: str, columns: int, word: str) -> Table:
    return Table(name, [Run("Caption")], [[Run(f"{word} {i}")] for i in range(columns)],
                 [[[Run("1")] for _ in range(columns)]], [None] * columns)


def test_tables_too_wide_for_an_upright_page_are_marked_for_a_landscape_print_page():
    props = Properties("T", "S", "en", "c", "h", "1", "profile")
    tables = [
        _table("tbl-six", 6, "Kelembagaan"),  # six columns always fit upright
        _table("tbl-short", 9, "Q1"),  # nine narrow columns fit too
        _table("tbl-long", 7, "Pengembangan"),  # seven of long words do not
    ]
    html = render_html(Document(tables, {}, props), TEMPLATES)
    assert re.search(r'<div class="table-wrap"[^>]*>\s*<table id="tbl-six">', html)
    assert re.search(r'<div class="table-wrap"[^>]*>\s*<table id="tbl-short">', html)
    wide = r'<div class="table-wrap wide"[^>]*style="--columns: 7"[^>]*>\s*<table id="tbl-long">'
    assert re.search(wide, html)
    print_css = html[html.index("@media print"):]
    assert "@page wide { size: A4 landscape" in print_css and ".table-wrap.wide { page: wide; }" in print_css
    assert ".doc-nav { display: none; }" in print_css


# --- real clients ------------------------------------------------------------------------------


def _matrix(page: Path) -> tuple[list[str], int]:
    """The responsibility matrix's last column header and the number of marks in its cells."""
    text = page.read_text(encoding="utf-8")
    table = re.search(r'<table id="tbl-matrix">(.*?)</table>', text, re.S).group(1)
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    marks = len(re.findall(r"[●○]", re.sub(r"<caption.*?</caption>", "", table, flags=re.S)))
    return headers[-1].split(), marks


@pytest.mark.clients
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_strategy_prints_its_whole_responsibility_matrix_on_a_landscape_page(full_set, tmp_path, lang):
    page = full_set / FOLDER / f"strategy.{lang}.html"
    last_header, marks = _matrix(page)
    assert len(last_header) >= 1 and marks > 0
    pdf = clients.chromium_print_pdf(page, tmp_path / f"strategy.{lang}.pdf")
    pages = clients.pdf_pages(pdf)
    landscape = "\n".join(text for text, (width, height) in pages if width > height)
    caption = LABELS[lang]("writer.table")
    assert re.search(rf"{caption} \d+:", landscape), "no table on a landscape page"
    assert all(word in landscape for word in last_header), f"the last column {last_header} is cut off"
    found = landscape.count("●") + landscape.count("○")
    assert found >= marks, f"{found} of the matrix's {marks} marks on its landscape page(s)"
    assert all(w < h for _, (w, h) in pages[:2]), "the pages before it stay upright"
    # The navigation bar is for the screen: not on paper.
    assert not any(LABELS[lang]("navigation.index") in t for t, _ in pages)


@pytest.mark.clients
def test_nu_checker_finds_no_errors_in_the_linked_pages(full_set, rollup_set):
    pages = [full_set / "index.html", rollup_set / "index.html",
             rollup_set / "jawa-tengah" / "province-summary.id.html", rollup_set / "national-summary.en.html",
             *(full_set / FOLDER / f"{kind}.{lang}.html" for kind in KINDS for lang in i18n.LANGUAGES)]
    assert clients.validate_html(pages) == []
