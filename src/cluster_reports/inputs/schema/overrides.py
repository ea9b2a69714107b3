"""Reviewed wording: a sidecar ``<cluster-id>.overrides.yaml``, written by ``cluster-reports harvest``.

Per document kind, block id and language, the paragraphs a reviewer wrote in the Word report. Renders
use them in place of the generated text of those blocks, in Word and HTML alike, so the reviewed
wording becomes the source. Paragraphs are plain text: nothing in them is markup or template code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .common import ClusterFile, Slug

DocumentKind = Literal["profile", "strategy", "action-plan", "monitoring", "guideline"]
Language = Literal["id", "en"]
BlockId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80)]
Paragraph = Annotated[str, StringConstraints(max_length=20000)]


class Overrides(ClusterFile):
    cluster: Slug
    documents: dict[DocumentKind, dict[BlockId, dict[Language, list[Paragraph]]]] = Field(
        description="document kind -> block id -> language -> the block's paragraphs, as reviewed"
    )

    def blocks(self, kind: str, lang: str) -> dict[str, list[str]]:
        """The reviewed blocks of one document in one language."""
        return {
            block: by_lang[lang]
            for block, by_lang in self.documents.get(kind, {}).items()  # type: ignore[call-overload]
            if lang in by_lang
        }
