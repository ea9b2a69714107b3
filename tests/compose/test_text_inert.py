"""Every text field is text (issue 15): Markdown, HTML, block fences, template code, control and
bidirectional characters put into every text field of every schema change no document's structure.

The sample cluster with every sidecar (strategy, plan, monitoring) gets, in each text of its params,
sidecars and publication details (every ``str`` that is not an id, a code or a path, and both
languages of every ``Text``), the payload below after a marker of its own; reviewed wording
(overrides) for a few blocks of each document gets it too. Validation is bypassed (``model_copy``),
so NUL and ESC reach composition. Every document of the cluster and both roll-ups are rendered, in
both languages and formats, once with the payloads and once without: headings, contents entries,
block ids, tables and their columns, links and every HTML element must be the same; each payload
that is printed reads as written (its controls removed, its right-to-left override isolated).
"""

from __future__ import annotations

import dataclasses
import re
import typing
import zipfile
from enum import Enum
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLE
from pydantic import AfterValidator, BaseModel

from cluster_reports.compose import composer
from cluster_reports.documents.markdown_text import FSI, PDF, PDI, inert
from cluster_reports.documents.registry import KINDS, ROLLUPS
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema import Text
from cluster_reports.inputs.schema.overrides import Overrides
from cluster_reports.writers import docx as docx_writer
from cluster_reports.writers import html as html_writer

CLUSTER = SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml"
LANGS = ("en", "id")
MARK = "ZQ{:04d}X"  # capitals and digits: no template raises or lowers them
PAYLOAD = (
    " **bold** _it_ [link](http://x.test/a) ![img](http://x.test/i.png) <b>b</b> "
    "<script>alert(1)</script> &amp; {{ 7*7 }} {% raw %} {#sec-x} ~s~ a|b \\ x\n"
    "# heading\n## heading\n- item\n1. item\n> quote\n| a | b |\n|---|---|\n| c | d |\n"
    "::: block x note p\ntext\n:::\n:::\n```\ncode\n```\n===\n---\n"
    "\x00\x1b\x7f\x85 end \u202e rlo"
)
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MARKERS = re.compile(r"ZQ\d{4}X")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
REVIEWED = "Reviewed wording."


def _constrained(annotation: object) -> bool:
    """An id, a code, a link or a path: a string with a pattern, a validator or a fixed set of values."""
    if typing.get_origin(annotation) is typing.Literal:
        return True
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            if getattr(meta, "pattern", None) or isinstance(meta, AfterValidator):
                return True
    return any(_constrained(arg) for arg in typing.get_args(annotation))


# Strings that name a file, or a record of a list or of another file (checked at validation): not
# text to print.
NOT_TEXT = {"logo", "firms_csv", "province", "regency", "firm", "field",
            "params.firms.table[].name"}  # the key of a firm's rows in the monitoring file


class Payloads:
    """Puts the payload, after a fresh marker, into every text of a validated model."""

    def __init__(self):
        self.fields: dict[str, str] = {}  # marker -> where

    def text(self, where: str) -> str:
        marker = MARK.format(len(self.fields))
        self.fields[marker] = where
        return marker + PAYLOAD

    def model(self, model: BaseModel, where: str) -> BaseModel:
        updates = {}
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            # pydantic keeps a field's own Annotated constraints in its metadata
            path = re.sub(r"\[\d+\]", "[]", f"{where}.{name}")
            if {name, path} & NOT_TEXT or any(_constrained(typing.Annotated[str, m]) for m in info.metadata):
                continue
            new = self.value(value, info.annotation, f"{where}.{name}")
            if new is not value:
                updates[name] = new
        return model.model_copy(update=updates) if updates else model

    def value(self, value, annotation, where: str):
        if isinstance(value, Text):
            return value.model_copy(update={"en": self.text(f"{where}.en"), "id": self.text(f"{where}.id")})
        if isinstance(value, BaseModel):
            return self.model(value, where)
        if isinstance(value, Enum) or not isinstance(value, str | list | tuple | dict):
            return value
        if isinstance(value, str):
            return value if _constrained(annotation) else self.text(where)
        if isinstance(value, dict):  # keys are ids: the values only
            return {k: self.value(v, annotation, f"{where}.{k}") for k, v in value.items()}
        return type(value)(self.value(v, annotation, f"{where}[{i}]") for i, v in enumerate(value))


def _reviewed_blocks(documents) -> dict[str, list[str]]:
    """A few blocks of each document for reviewed wording: the first block, caption and cell."""
    chosen: dict[str, list[str]] = {}
    for (kind, lang), doc in documents.items():
        if kind not in KINDS or lang != "en":
            continue
        blocks = list(composer._reviewable(doc.nodes))
        pick = [blocks[0]]
        pick += [b for b in blocks if b.startswith("caption-")][:1]
        pick += [b for b in blocks if b.count(".") == 2][:1]  # a narrative cell: table.row.column
        chosen[kind] = list(dict.fromkeys(pick))
    return chosen


def _overrides(cluster: str, chosen: dict[str, list[str]]) -> Overrides:
    wording = {"text": [[{"text": REVIEWED}, {"text": REVIEWED}], REVIEWED],
               "generated": [REVIEWED]}
    data = {"cluster": cluster,
            "documents": {kind: {block: {lang: wording for lang in LANGS} for block in blocks}
                          for kind, blocks in chosen.items()}}
    return Overrides.model_validate(data)


def _compose(loaded: params_io.LoadedParams, peers, templates: Path) -> dict:
    documents = {}
    for kind in KINDS:
        for lang in LANGS:
            documents[kind, lang] = composer.compose(loaded, kind, lang, peers, templates)
    summaries = [summary.summarise(loaded)]
    slug = loaded.params.location.province_record.slug
    for kind, spec in ROLLUPS.items():
        for lang in LANGS:
            documents[kind, lang] = composer.compose_rollup(
                kind, summaries, slug if spec.per_province else None, lang, templates)
    return documents


class _Page(HTMLParser):
    """An HTML page's elements (tag and id, in order), links and text (whitespace collapsed)."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, str | None]] = []
        self.links: list[str] = []
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.elements.append((tag, found.get("id")))
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@dataclasses.dataclass
class Written:
    structure: dict
    text: str  # every paragraph and cell of the .docx, then the page's text
    html: str


def _write(documents: dict, folder: Path, templates: Path) -> dict[tuple[str, str], Written]:
    folder.mkdir()
    written = {}
    for (kind, lang), doc in documents.items():
        word, prefixes = docx_writer.build(doc, templates / "reference.docx")
        path = folder / f"{kind}.{lang}.docx"
        word.save(str(path))
        with zipfile.ZipFile(path) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
        assert not CONTROLS.search(body), (kind, lang)
        paragraphs = [p.text for p in word.paragraphs]
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        styles = [p.style.name for p in word.paragraphs]
        page = html_writer.render_html(doc, templates)
        parser = _Page()
        parser.feed(page)
        structure = {
            "headings": [s for s in styles if s.startswith("Heading") or s == "Title"],
            "contents": [s for s in styles if s.lower().startswith("toc ")],
            "blocks": sorted(prefixes.values()),
            "tables": [(len(t.rows), len(t.columns)) for t in word.tables],
            "docx links": sorted(r.target_ref for r in word.part.rels.values()
                                 if r.reltype.endswith("/hyperlink")),
            # a reviewer's line break is a line break (<br>): not the document's structure
            "html elements": [e for e in parser.elements if e[0] != "br"],
            "html links": parser.links,
        }
        text = "\n".join(" ".join(t.split()) for t in [*paragraphs, *cells]) + "\n" + " ".join(
            " ".join(parser.parts).split())
        written[kind, lang] = Written(structure, text, page)
    return written


@pytest.fixture(scope="module")
def renders(tmp_path_factory, templates):
    (plain,), problems = params_io.load_many([CLUSTER])
    assert not problems, problems
    assert {"strategy", "plan", "monitoring"} <= set(plain.parts)
    peers = [summary.summarise(plain)]
    documents = _compose(plain, peers, templates)
    reviewed = _overrides(plain.params.id, _reviewed_blocks(documents))
    for (kind, lang), doc in documents.items():  # as compose applies them (composed once only)
        if kind in KINDS:
            composer.apply_overrides(doc.nodes, reviewed.wording(kind, lang), kind, lang)
    base = dataclasses.replace(plain, parts={**plain.parts, "overrides": reviewed})

    payloads = Payloads()
    hostile = dataclasses.replace(
        base,
        params=payloads.model(plain.params, "params"),
        parts={part: payloads.model(model, part) for part, model in base.parts.items()},
        publication=payloads.model(plain.publication, "publication"),
        library=dataclasses.replace(plain.library, programmes={
            key: payloads.model(programme, f"library.{key}")
            for key, programme in plain.library.programmes.items()}),
    )
    root = tmp_path_factory.mktemp("inert")
    before = _write(documents, root / "before", templates)
    after = _write(_compose(hostile, peers, templates), root / "after", templates)
    return before, after, payloads


def _isolated(text: str) -> bool:
    """Every override, embedding and isolate of the text closed, and each override or embedding
    inside an isolate."""
    opened: list[str] = []
    for ch in text:
        if ch in "\u202a\u202b\u202d\u202e":
            if PDI not in opened:
                return False
            opened.append(PDF)
        elif ch in "\u2066\u2067\u2068":
            opened.append(PDI)
        elif ch in (PDF, PDI):
            if not opened or opened.pop() != ch:
                return False
    return not opened


def test_every_text_field_got_a_payload(renders):
    _before, after, payloads = renders
    parts = {where.split(".")[0] for where in payloads.fields.values()}
    assert parts == {"params", "strategy", "plan", "monitoring", "overrides", "publication", "library"}
    assert any(where.startswith("monitoring.conditions") and ".note." in where
               for where in payloads.fields.values())
    printed = {m for w in after.values() for m in MARKERS.findall(w.text)}
    # Most texts are printed somewhere (the rest are notes for the tool, sources' details...).
    assert len(printed) > len(payloads.fields) / 2, (len(printed), len(payloads.fields))


@pytest.mark.parametrize("kind", [*KINDS, *ROLLUPS])
def test_payloads_change_no_structure(renders, kind):
    before, after, _payloads = renders
    for lang in LANGS:
        was, now = before[kind, lang].structure, after[kind, lang].structure
        for key in was:
            assert now[key] == was[key], (kind, lang, key)
        assert not any("x.test" in link for link in now["html links"] + now["docx links"])


@pytest.mark.parametrize("kind", [*KINDS, *ROLLUPS])
def test_payloads_read_as_written(renders, kind):
    before, after, payloads = renders
    for lang in LANGS:
        written = after[kind, lang]
        assert not CONTROLS.search(written.html), (kind, lang)
        assert "<script>alert" not in written.html and "<b>b</b>" not in written.html
        unread = []
        # A cluster's documents isolate each value on its own (the right-to-left override closed
        # right after it); the roll-ups' summaries may join a value to other words first (the
        # override then closes after them, still inside the isolate: checked below).
        own = kind in KINDS
        shown = "\n".join(" ".join(line.split()) for line in BIDI.sub("", written.text).split("\n"))
        for marker in sorted(set(MARKERS.findall(written.text))):
            expected = " ".join(inert(marker + PAYLOAD).split())
            if own and expected not in written.text or " ".join(BIDI.sub("", expected).split()) not in shown:
                unread.append(payloads.fields[marker])
        assert not unread, (kind, lang, unread[:5], len(unread))
        # {{ 7*7 }} is never worked out: no more 49s than without the payloads
        assert (MARKERS.sub("", written.text).count("49")
                <= before[kind, lang].text.count("49")), (kind, lang)
        for line in written.text.split("\n"):
            assert _isolated(line), (kind, lang, line[:200])
        if MARKERS.search(written.text):
            assert "\u202e" in written.text and FSI in written.text, (kind, lang)


@pytest.mark.parametrize(("line", "isolated"), [
    ("plain", "plain"),
    ("a\u202eb", f"{FSI}a\u202eb{PDF}{PDI}"),  # an override closed and isolated
    ("\u2069a\u202cb\u202ec", f"{FSI}ab\u202ec{PDF}{PDI}"),  # closers of nothing dropped
    ("a\u2067b\u202ac", "a\u2067b\u202ac\u202c\u2069"),  # inside an isolate: closed, not wrapped
    (f"{FSI}a\u202eb{PDF}{PDI}, c", f"{FSI}a\u202eb{PDF}{PDI}, c"),  # already isolated, then joined
    ("a\u202ab\u2066c\u2069d", f"{FSI}a\u202ab\u2066c\u2069d{PDF}{PDI}"),
])
def test_isolate(line, isolated):
    assert inert(line) == isolated
    assert _isolated(isolated)


def test_inert_removes_controls_keeps_lines():
    assert inert("a\x00b\x1b\x7f\x85\x9fc\r\nd\te\ud800\uffff") == "abc\nd\te"
