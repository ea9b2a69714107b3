"""Where a document's data come from: provenance entries looked up by path, the sources they cite,
the rows of every document's data-sources table, the notes on illustrative values and the list of
references. One place, so every kind judges 'illustrative' and names a source the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cluster_reports.inputs.schema import DataSource, Provenance, Source, SourceKind, Text
from cluster_reports.inputs.schema.common import LEGACY_KINDS, NOT_SURVEY_DATA, source_of

from .i18n import Labels, series

# Sources a document names whatever the cluster: the guideline's method comes from these.
STUDY_2004 = DataSource(
    id="jica-2004",
    title="The Study on Strengthening Capacity of SME Clusters in Indonesia",
    # The ministry by its own (Indonesian) name in Indonesian text: no English inside Indonesian.
    author=Text(en="JICA; Ministry of Industry and Trade",
                id="JICA; Departemen Perindustrian dan Perdagangan"),
    year=2004,
    kind=SourceKind.study,
    note=Text(
        en="Final Report, Summary (March 2004), prepared by KRI International Corp.",
        id="Laporan Akhir, Ringkasan (Maret 2004), disusun oleh KRI International Corp.",
    ),
)
SMIDEP_2021 = DataSource(
    id="smidep-2021",
    title="Ex-post Evaluation of SMIDeP (2013-2016)",
    author="JICA",
    year=2021,
    kind=SourceKind.evaluation,
)
METHOD_SOURCES = (STUDY_2004, SMIDEP_2021)
# Kinds that can be said not to give a value; a classification or an estimate is not asked for one.
PRIMARY_KINDS = (SourceKind.study, SourceKind.evaluation, SourceKind.survey, SourceKind.workshop)

Cited = DataSource | Source  # a listed source, or a legacy kind that names none


@dataclass(frozen=True)
class SourceRow:
    section: str
    source: str
    reference: str
    illustrative: bool


@dataclass(frozen=True)
class Reference:
    """One entry of a document's list of references."""

    author: str
    year: int | None
    title: str
    published: bool  # a title as published (printed in italics), not a description of the source
    kind: str
    note: str | None
    url: str | None


class Catalogue:
    """The sources a document's files list, by id (a cluster's and its sidecars': ids are unique
    across them, so the first listing of an id is the only one)."""

    def __init__(self, *listings: Iterable[DataSource]) -> None:
        self.listed: dict[str, DataSource] = {}
        for listing in listings:
            for source in listing:
                self.listed.setdefault(source.id, source)

    def cited(self, entry: Provenance) -> list[Cited]:
        # An id no file lists is a legacy kind: the schema accepts nothing else.
        return [self.listed.get(i) or Source(i) for i in entry.source]

    def not_survey_data(self, entry: Provenance) -> bool:
        return any(kind_of(s) in NOT_SURVEY_DATA for s in self.cited(entry))

    def real(self, entries: Iterable[Provenance]) -> list[DataSource]:
        """The listed sources of survey data (or estimates) the entries cite, in order, once each."""
        found: dict[str, DataSource] = {}
        for entry in entries:
            for s in self.cited(entry):
                if isinstance(s, DataSource) and not s.not_survey_data:
                    found.setdefault(s.id, s)
        return list(found.values())

    def used(self, entries: Iterable[Provenance]) -> list[DataSource]:
        found: dict[str, DataSource] = {}
        for entry in entries:
            for s in self.cited(entry):
                if isinstance(s, DataSource):
                    found.setdefault(s.id, s)
        return list(found.values())


def kind_of(source: Cited) -> SourceKind:
    return source.kind if isinstance(source, DataSource) else LEGACY_KINDS[source]


def _text(value: str | Text, lang: str) -> str:
    return value.get(lang) if isinstance(value, Text) else value


def name(source: DataSource, labels: Labels) -> str:
    """A source as a sentence names it: 'Ex-post Evaluation of SMIDeP (2013-2016) (JICA, 2021)'."""
    lang = labels.lang
    who = ", ".join([_text(source.author, lang)] + ([str(source.year)] if source.year else []))
    return f"{_text(source.title, lang)} ({who})"


def names(sources: list[DataSource], labels: Labels, conjunction: str = "sources.or") -> str:
    return series([name(s, labels) for s in sources], labels(conjunction), labels.lang)


def cite(source: Cited, labels: Labels) -> str:
    """A source as the data-sources table gives it: its kind, then its title, author and year."""
    if isinstance(source, Source):
        return labels(f"source.{source.value}")
    return f"{labels(f'source_kind.{source.kind.value}')}: {name(source, labels)}"


def is_illustrative(entries: Iterable[Provenance], path: str, catalogue: Catalogue,
                    narrower: bool = False) -> bool:
    """Whether the values at a path are not survey data; with ``narrower``, also when any entry
    below the path is (a section of which one part is illustrative)."""
    entries = list(entries)
    found = [source_of(entries, path)]
    if narrower:
        found += [e for e in entries if e.field.startswith(path + ".")]
    return any(e is not None and catalogue.not_survey_data(e) for e in found)


def covering(entries: Iterable[Provenance], paths: Iterable[str]) -> list[Provenance]:
    """The entries that say where any value at or below the paths comes from."""
    entries = list(entries)
    found: list[Provenance] = []
    for path in paths:
        broader = source_of(entries, path)
        for e in ([broader] if broader else []) + [e for e in entries if e.field.startswith(path + ".")]:
            if e not in found:
                found.append(e)
    return found


def principal(entries: Iterable[Provenance], catalogue: Catalogue) -> list[DataSource]:
    """The sources a document's data are drawn from: studies, evaluations, surveys and workshops."""
    return [s for s in catalogue.real(entries) if s.kind in PRIMARY_KINDS]


def illustrative_note(labels: Labels, section: list[DataSource], document: list[DataSource]) -> str:
    """The note under a section with illustrative values, naming the real sources of that section
    (else the document's), which do not give those values."""
    sources = section or document
    if not sources:
        return labels("note.illustrative")
    return labels("sources.note_named").format(sources=names(sources, labels))


def field_label(path: str, labels: Labels, heads: tuple[str, ...], parts: tuple[str, ...] = ()) -> str:
    """A provenance path in the document's words: 'constraints.1' -> 'Second constraint'.

    ``heads`` are label prefixes tried for the section name; ``parts`` further prefixes tried for the
    words below it, before the shared 'condition.' and 'field.' catalogues.
    """
    head, *rest = path.split(".")

    def first(prefixes: Iterable[str], key: str) -> str | None:
        return next((labels.entries[p + key] for p in prefixes if p + key in labels.entries), None)

    name = first(heads, head) or head.replace("_", " ")
    if len(rest) == 1 and rest[0].isdigit():
        return _nth(head, name, int(rest[0]) + 1, labels)
    words = [
        _nth_item(int(part) + 1, labels) if part.isdigit()
        else first((*parts, "condition.", "field."), part) or part.replace("_", " ")
        for part in rest
    ]
    if len(words) > 1 and rest[-1] == "note":
        # 'assessment.demand.note' is the note on the demand conditions, not a list of words.
        what = ", ".join(words[:-1])
        return _capfirst(labels("source_field.note_on").format(what=what[:1].lower() + what[1:]))
    return ": ".join([name, ", ".join(words)] if words else [name])


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _nth(head: str, name: str, n: int, labels: Labels) -> str:
    """'constraints.1' -> 'Second constraint' / 'Kendala kedua'; a list without a noun of its own
    keeps its section name: 'Products: second item'."""
    noun = labels.entries.get(f"source_field.one.{head}")
    if noun is None:
        return f"{name}: {_nth_item(n, labels)}"
    ordinal = labels.entries.get(f"source_field.ordinal.o{n}")
    if ordinal is None:
        return _capfirst(labels("source_field.numbered").format(noun=noun, n=n))
    return _capfirst(labels("source_field.nth").format(ordinal=ordinal, noun=noun))


def _nth_item(n: int, labels: Labels) -> str:
    ordinal = labels.entries.get(f"source_field.ordinal.o{n}")
    if ordinal is None:
        return f"{labels('field.item')} {n}"
    return labels("source_field.nth_item").format(ordinal=ordinal)


def given(model: object, entries: Iterable[Provenance]) -> list[Provenance]:
    """The entries whose field the file gives a value for. An optional field left out (workers not
    recorded) is no row of a data-sources table and no source of the document, whatever provenance
    entry the file keeps for it; a path this cannot follow is kept."""
    return [e for e in entries if _has_value(model, e.field)]


def _has_value(node: object, path: str) -> bool:
    for part in path.split("."):
        if isinstance(node, dict):
            if part not in node:
                return True
            node = node[part]
        elif isinstance(node, list):
            if not (part.isdigit() and int(part) < len(node)):
                return True
            node = node[int(part)]
        elif hasattr(node, part):
            node = getattr(node, part)
        else:
            return True
        if node is None or (isinstance(node, (list, dict)) and not node):
            return False
    return True


def source_row(section: str, entry: Provenance, labels: Labels, catalogue: Catalogue,
               default_reference: str = "-") -> SourceRow:
    return SourceRow(
        section=section,
        source="; ".join(cite(s, labels) for s in catalogue.cited(entry)),
        reference=entry.reference.get(labels.lang) if entry.reference else default_reference,
        illustrative=catalogue.not_survey_data(entry),
    )


def references(sources: Iterable[DataSource], labels: Labels) -> list[Reference]:
    """The list of references: every source cited, by author, year and title."""
    lang = labels.lang
    rows: dict[str, Reference] = {}
    for s in sources:  # the first listing of an id is the one cited
        rows.setdefault(s.id, Reference(
            author=_text(s.author, lang), year=s.year, title=_text(s.title, lang),
            published=isinstance(s.title, str), kind=labels(f"source_kind.{s.kind.value}"),
            note=s.note.get(lang) if s.note else None, url=s.url,
        ))
    return sorted(rows.values(), key=lambda r: (r.author.casefold(), r.year or 0, r.title.casefold()))


@dataclass(frozen=True)
class DocumentSources:
    """What a document's templates ask of its provenance: the note under a section with illustrative
    values, the principal sources the data-sources text names, and the references.

    ``files`` holds each file's entries by part ('cluster', 'plan', ...); the first is the document's
    own, so a template names its paths plainly ('firms') and another file's with its part
    ('cluster:firms'). ``shown`` are the entries of the data-sources table.
    """

    files: dict[str, tuple[Provenance, ...]]
    shown: tuple[Provenance, ...]
    catalogue: Catalogue
    labels: Labels

    def note(self, *paths: str) -> str:
        own = next(iter(self.files))
        found: list[Provenance] = []
        for path in paths:
            part, _, rest = path.rpartition(":")
            found += covering(self.files[part or own], [rest])
        section = self.catalogue.real(found)
        return illustrative_note(self.labels, section, principal(self.shown, self.catalogue))

    def principal_names(self) -> str:
        """The document's principal sources joined by 'or', as 'not given by ...' names them ('' if none)."""
        return names(principal(self.shown, self.catalogue), self.labels)

    def references(self) -> list[Reference]:
        return references(self.catalogue.used(self.shown), self.labels)

    def context(self) -> dict:
        return {
            "illustrative_note": self.note,
            "principal_sources": self.principal_names(),
            "references": self.references(),
        }
