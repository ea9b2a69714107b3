"""What every document test checks the same way: leftovers of template syntax, the other language's
headings, where a document is written, text with its whitespace flattened."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from docx import Document as open_docx

from cluster_reports.documents import i18n

# Template syntax, and Python's or pandas' words for a missing value, must never reach a reader.
# "None of the 10 supported firms ..." is English, not a missing value.
LEFTOVERS = re.compile(r"\{\{|\{%|\{#|\bNone\b(?! of\b)|\bnan\b|\bNaN\b")
LANGS = ("id", "en")


def flat(text: str) -> str:
    return " ".join(text.split())


def output_path(out: Path, item, kind: str, lang: str, fmt: str) -> Path:
    return out / item.params.location.province_record.slug / item.params.id / f"{kind}.{lang}.{fmt}"


def other_language_labels(templates: Path, lang: str, prefixes: tuple[str, ...]) -> list[str]:
    """Labels under the prefixes (headings, captions) in the other language that differ from this
    language's: none may appear in this language's document."""
    mine = i18n.labels(templates, lang).entries
    other = i18n.labels(templates, "en" if lang == "id" else "id").entries
    return [other[k] for k in other if k.startswith(prefixes) and other[k] != mine[k]]


def page_in_chromium(page: Path, lang: str) -> tuple[str, str]:
    """A page as a reader gets it: checks it declares its language and loads nothing from the
    network, then returns the text Chromium rendered (whitespace flattened, entities resolved) and
    the DOM."""
    from clients import chromium_dump_dom

    source = page.read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in source, page
    assert not re.search(r'(src|href)="https?://', source), f"{page} is not self-contained"
    dom = chromium_dump_dom(page)
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", dom))), dom


def edit_block(path: Path, block: str, text: str) -> None:
    """A reviewer rewrites a block of a generated .docx (python-docx standing in for Word): its
    first paragraph gets the text, its other paragraphs go."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from cluster_reports.review import reviewed as reviewed_file

    reviewed = reviewed_file.open_reviewed(path)
    span = reviewed.reading.blocks[block]
    first = span.elements[0]
    for run in first.findall(qn("w:r")):
        first.remove(run)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    first.append(run)
    for extra in span.elements[1:]:
        extra.getparent().remove(extra)
    reviewed.word.save(str(path))


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href"]


def html_text(path: Path) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split()), parser.links


def docx_text(path: Path) -> list[str]:
    doc = open_docx(str(path))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def tree_lines(document, cover: bool = True) -> list[str]:
    """A composed document's words as a reader meets them: a paragraph or a table row per line
    (cells joined by ' | '), blocks and notes opened, the cover's lines first where asked for."""
    from cluster_reports.compose.tree import Block, Cover, Note, Paragraph, Table, plain

    lines: list[str] = []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, Paragraph):
                lines.append(plain(node.runs))
            elif isinstance(node, (Block, Note)):
                walk(node.children)
            elif cover and isinstance(node, Cover):
                lines.extend(plain(line) for line in node.lines)
            elif isinstance(node, Table):
                lines.extend(" | ".join(plain(cell) for cell in row) for row in node.rows)

    walk(document.nodes)
    return lines
