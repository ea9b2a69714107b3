"""Where a document's data come from: provenance entries looked up by path, and the rows of every
document's data-sources table. One place, so every kind judges 'illustrative' the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cluster_reports.inputs.schema import Provenance, Source
from cluster_reports.inputs.schema.common import source_of

from .i18n import Labels

NOT_SURVEY_DATA = (Source.illustrative, Source.synthetic)


@dataclass(frozen=True)
class SourceRow:
    section: str
    source: str
    reference: str
    illustrative: bool


def is_illustrative(entries: Iterable[Provenance], path: str, narrower: bool = False) -> bool:
    """Whether the values at a path are not survey data; with ``narrower``, also when any entry
    below the path is (a section of which one part is illustrative)."""
    entries = list(entries)
    found = [source_of(entries, path)]
    if narrower:
        found += [e for e in entries if e.field.startswith(path + ".")]
    return any(e is not None and e.source in NOT_SURVEY_DATA for e in found)


def field_label(path: str, labels: Labels, heads: tuple[str, ...], parts: tuple[str, ...] = ()) -> str:
    """A provenance path in the document's words: 'constraints.1' -> 'Constraints: item 2'.

    ``heads`` are label prefixes tried for the section name; ``parts`` further prefixes tried for the
    words below it, before the shared 'condition.' and 'field.' catalogues.
    """
    head, *rest = path.split(".")

    def first(prefixes: Iterable[str], key: str) -> str | None:
        return next((labels.entries[p + key] for p in prefixes if p + key in labels.entries), None)

    words = [
        f"{labels('field.item')} {int(part) + 1}" if part.isdigit()
        else first((*parts, "condition.", "field."), part) or part.replace("_", " ")
        for part in rest
    ]
    name = first(heads, head) or head.replace("_", " ")
    return ": ".join([name, ", ".join(words)] if words else [name])


def source_row(section: str, entry: Provenance, labels: Labels, default_reference: str = "-") -> SourceRow:
    return SourceRow(
        section=section,
        source=labels(f"source.{entry.source.value}"),
        reference=entry.reference.get(labels.lang) if entry.reference else default_reference,
        illustrative=entry.source in NOT_SURVEY_DATA,
    )
