"""Reviewed wording: a sidecar ``<cluster-id>.overrides.yaml``, written by ``cluster-reports harvest``.

Per document kind, block id and language, the paragraphs a reviewer wrote in the Word report. Renders
use them in place of the generated text of those blocks, in Word and HTML alike, so the reviewed
wording becomes the source. Paragraphs are plain text: nothing in them is markup or template code.
A paragraph with bold, italic or linked words is a list of spans, each a piece of plain text with
its emphasis and link.

Each block and language is either the list of its paragraphs (the first form, still read) or a
mapping ``{text: [...], generated: [...]}``: ``generated`` is what the template generated into the
block when the wording was harvested, whose figures every render compares with the new data's.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

from .common import ClusterFile, Slug, Strict, check_text, paragraph

DocumentKind = Literal["profile", "strategy", "action-plan", "monitoring", "guideline"]
Language = Literal["id", "en"]
BlockId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80)]
# A reviewer's paragraph (or a piece of one) as harvested: kept as written, tabs and line breaks too.
PlainText = paragraph(20000, min_length=0, strip=False)
# A link a reader can follow from either output: a web page or an e-mail address, nothing that runs.
HREF = re.compile(r"^(https?://|mailto:)[^\s\"'<>`\\]+$")


def _href(value: str) -> str:
    check_text(value, single=True)
    if len(value) > 2000 or not HREF.match(value):
        raise ValueError(f"{value[:80]!r} is no link a reader can follow: give an http://, https:// or "
                         "mailto: address, without spaces or quotes")
    return value


Href = Annotated[str, AfterValidator(_href)]


class Span(Strict):
    """A piece of a paragraph with its emphasis and link; its text is plain text."""

    text: PlainText = Field(description="The words, as the reviewer wrote them (plain text)")
    bold: bool = Field(False, description="Shown in bold")
    italic: bool = Field(False, description="Shown in italics")
    href: Href | None = Field(None, description="The link of these words: http(s):// or mailto: only")


_SPAN_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "maxLength": 20000, "description": "The words (plain text)"},
        "bold": {"type": "boolean", "default": False},
        "italic": {"type": "boolean", "default": False},
        "href": {"type": "string", "pattern": HREF.pattern,
                 "description": "The link of these words: http(s):// or mailto: only"},
    },
}
_PARAGRAPH_SCHEMA = {
    "anyOf": [{"type": "string", "maxLength": 20000}, {"type": "array", "items": _SPAN_SCHEMA}],
    "description": "A paragraph: plain text, or a list of spans where words are bold, italic or linked",
}


def _spans(value: object) -> object:
    return [{"text": value}] if isinstance(value, str) else value


# A paragraph: a plain string, or a list of spans where some words are bold, italic or linked.
Paragraph = Annotated[
    list[Span],
    BeforeValidator(_spans),
    WithJsonSchema(_PARAGRAPH_SCHEMA),
]


class Wording(Strict):
    """A block's reviewed wording in one language."""

    text: list[Paragraph] = Field(description="The block's paragraphs as the reviewer wrote them")
    generated: list[PlainText] | None = Field(
        None,
        description="The block's paragraphs as generated when the wording was harvested: renders warn "
        "while the wording quotes a figure of them that the data no longer gives",
    )

    def plain(self) -> list[str]:
        return ["".join(span.text for span in paragraph) for paragraph in self.text]


def _wording(value: object) -> object:
    if isinstance(value, list):  # the first form: the paragraphs alone
        return {"text": value}
    if isinstance(value, str):
        raise ValueError("give the block's paragraphs as a list, or as a mapping with 'text' "
                         "(the paragraphs) and 'generated' (as harvest writes it)")
    return value


BlockWording = Annotated[
    Wording,
    BeforeValidator(_wording),
    WithJsonSchema({"anyOf": [
        {"type": "array", "items": _PARAGRAPH_SCHEMA},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["text"],
            "properties": {
                "text": {"type": "array", "items": _PARAGRAPH_SCHEMA},
                "generated": {"type": "array", "items": {"type": "string"},
                              "description": "The paragraphs generated when the wording was harvested"},
            },
        },
    ]}),
]


class Overrides(ClusterFile):
    cluster: Slug
    documents: dict[DocumentKind, dict[BlockId, dict[Language, BlockWording]]] = Field(
        description="document kind -> block id -> language -> the block's reviewed wording: its "
        "paragraphs, or {text: paragraphs, generated: the paragraphs generated when it was harvested}"
    )

    def wording(self, kind: str, lang: str) -> dict[str, Wording]:
        """The reviewed blocks of one document in one language, with their spans and basis."""
        return {
            block: by_lang[lang]  # type: ignore[index]
            for block, by_lang in self.documents.get(kind, {}).items()  # type: ignore[call-overload]
            if lang in by_lang
        }

    def blocks(self, kind: str, lang: str) -> dict[str, list[str]]:
        """The reviewed blocks of one document in one language, as plain paragraphs."""
        return {block: wording.plain() for block, wording in self.wording(kind, lang).items()}
