"""Every document of every sample cluster in both languages, rendered once per test session: the
fixture ``rendered_set`` that the consistency and language checks share (helpers, not a test module).

Each document is composed once through the package's API (the composer, as ``render`` does) and
written as HTML and as Word from that one tree. The tree is kept beside the files: its tables are
what both writers print, so a check reads a figure from a table cell by its row label rather than
from a sentence that the template prose may reword. The text a reader sees is taken from the
written files (HTML text, and the Word file's paragraphs, table cells, headers and footers).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from checks import html_text
from conftest import SAMPLE
from lxml import etree

from cluster_reports import render, resources
from cluster_reports.compose import composer
from cluster_reports.compose import tree as d
from cluster_reports.documents import i18n, registry
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io

LANGS = ("id", "en")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Rendered:
    """One document of one cluster in one language: its tree, its files and its params. An edition
    for no one cluster (the general guideline, a province's or the nation's summary) has no params
    (``loaded`` None) and is named by its folder (``where``)."""

    loaded: params_io.LoadedParams | None
    kind: str
    lang: str
    doc: d.Document
    html: Path
    docx: Path
    where: str = ""

    @property
    def cluster_id(self) -> str:
        return self.loaded.params.id if self.loaded is not None else self.where

    @property
    def name(self) -> str:
        """The file a failure names: ``<cluster>/<kind>.<lang>.html`` (the .docx has the same text)."""
        return f"{self.cluster_id}/{self.html.name}"

    @cached_property
    def labels(self) -> i18n.Labels:
        return i18n.labels(resources.templates(), self.lang)

    def t(self, key: str) -> str:
        return self.labels.entries[key]

    @cached_property
    def html_text(self) -> str:
        return html_text(self.html)[0]

    @cached_property
    def docx_texts(self) -> list[str]:
        """The Word file's paragraphs (body, table cells, headers and footers, which the HTML does not
        have), read from its XML parts: python-docx's table cells are slow on long tables."""
        with zipfile.ZipFile(self.docx) as package:
            parts = [n for n in package.namelist()
                     if re.fullmatch(r"word/(?:document|header\d*|footer\d*)\.xml", n)]
            texts = []
            for part in parts:
                root = etree.fromstring(package.read(part))
                for paragraph in root.iter(W + "p"):
                    text = "".join(t.text or "" for t in paragraph.iter(W + "t"))
                    if text.strip():
                        texts.append(text)
        return texts

    def docx_tables(self) -> list[list[list[str]]]:
        """The Word file's tables, each as its rows of cell texts."""
        with zipfile.ZipFile(self.docx) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        return [[["".join(t.text or "" for t in cell.iter(W + "t")) for cell in row.iter(W + "tc")]
                 for row in table.iter(W + "tr")] for table in root.iter(W + "tbl")]

    def html_tables(self) -> dict[str, list[list[str]]]:
        """The page's tables by id, each as its rows of cell texts."""
        parser = _Tables()
        parser.feed(self.html.read_text(encoding="utf-8"))
        return parser.tables

    def tables(self) -> dict[str, d.Table]:
        return {node.id: node for node in self.doc.nodes if isinstance(node, d.Table)}

    def table(self, table_id: str) -> d.Table | None:
        return self.tables().get(table_id)

    @cached_property
    def raw(self) -> dict:
        """The cluster's params file as plain YAML (not through the code under test)."""
        return yaml.safe_load(self.loaded.path.read_text(encoding="utf-8"))

    def sidecar(self, part: str) -> dict | None:
        path = self.loaded.path.with_suffix(f".{part}.yaml")
        return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = self.tables.setdefault(dict(attrs).get("id") or f"#{len(self.tables)}", [])
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._rows = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def cells(row: list[d.Inline]) -> list[str]:
    return [" ".join(d.plain(cell).split()) for cell in row]


def render_set(out: Path) -> list[Rendered]:
    templates = resources.templates()
    loaded, problems = params_io.load_many([SAMPLE])
    assert not problems, "\n".join(map(str, problems))
    peers = [summary.summarise(item) for item in loaded]
    rendered = []
    for item in loaded:
        for kind in registry.KINDS:
            if registry.unavailable_reason(item, kind):
                continue
            for lang in LANGS:
                doc = composer.compose(item, kind, lang, peers, templates)
                paths = {fmt: render.output_path(out, item.params, kind, lang, fmt)
                         for fmt in ("html", "docx")}
                for fmt, path in paths.items():
                    render.write(doc, path, fmt, templates)
                rendered.append(Rendered(item, kind, lang, doc, paths["html"], paths["docx"]))
    return rendered


def render_editions(out: Path) -> list[Rendered]:
    """The documents of no one cluster: the general guideline, every province's summary and the
    national one, in both languages, over the same sample."""
    templates = resources.templates()
    loaded, _ = params_io.load_many([SAMPLE])
    summaries = [summary.summarise(item) for item in loaded]
    jobs: list[tuple[str, str | None, list]] = []
    for kind, spec in registry.ROLLUPS.items():
        if spec.per_province:
            for slug in sorted({s.province_slug for s in summaries}):
                jobs.append((kind, slug, [s for s in summaries if s.province_slug == slug]))
        else:
            jobs.append((kind, None, summaries))
    rendered = []
    for lang in LANGS:
        docs = [("guideline", render.GENERAL, composer.compose(None, "guideline", lang, [], templates),
                 {fmt: render.output_path(out, None, "guideline", lang, fmt) for fmt in ("html", "docx")})]
        for kind, slug, members in jobs:
            doc = composer.compose_rollup(kind, members, slug, lang, templates)
            paths = {fmt: render.rollup_path(out, kind, slug, lang, fmt) for fmt in ("html", "docx")}
            docs.append((kind, slug or "national", doc, paths))
        for kind, where, doc, paths in docs:
            for fmt, path in paths.items():
                render.write(doc, path, fmt, templates)
            rendered.append(Rendered(None, kind, lang, doc, paths["html"], paths["docx"], where))
    return rendered


_CACHE: dict[str, list[Rendered]] = {}


@pytest.fixture(scope="session", name="rendered_set")
def rendered_set_fixture(tmp_path_factory) -> list[Rendered]:
    # Modules import this fixture (under this name, so that their arguments do not shadow an import);
    # the cache makes it one render per session, not one per module.
    if "set" not in _CACHE:
        _CACHE["set"] = render_set(tmp_path_factory.mktemp("rendered-set"))
    return _CACHE["set"]


def by_cluster(rendered: list[Rendered]) -> dict[str, list[Rendered]]:
    clusters: dict[str, list[Rendered]] = {}
    for item in rendered:
        clusters.setdefault(item.cluster_id, []).append(item)
    return clusters


@pytest.fixture(scope="session", name="rendered_editions")
def rendered_editions_fixture(tmp_path_factory) -> list[Rendered]:
    if "editions" not in _CACHE:
        _CACHE["editions"] = render_editions(tmp_path_factory.mktemp("rendered-editions"))
    return _CACHE["editions"]
