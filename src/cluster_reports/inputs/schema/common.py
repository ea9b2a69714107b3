"""Pieces every params file shares: strict models, two-language texts, ids, money, provenance."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from .bounds import (  # noqa: F401 - the bounded numbers and clean texts every schema module uses
    COUNT_MAX,
    RUPIAH_MAX,
    Cases,
    FirmCount,
    FirmWorkers,
    Kilometres,
    Line,
    Measure,
    Months,
    Paragraph,
    Percent,
    PositiveRupiah,
    PriceIndex,
    Quantity,
    Rupiah,
    UsdRate,
    WorkerCount,
    Year,
    YearSince1900,
    YearSince1990,
    check_text,
    clean_text,
    line,
    one_line,
    paragraph,
    small,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
# A name, a title, a label: one line of text (the name it had before lines were told from paragraphs).
NonEmpty = Line


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


LANGUAGES = ("en", "id")


class Untranslated(str):
    """A text shown in a document of the other language: it carries the language it is really in,
    so that the document can mark it (the wording of the mark is the documents' own)."""

    __slots__ = ("lang",)
    lang: str

    def __new__(cls, text: str, lang: str) -> Untranslated:
        self = super().__new__(cls, text)
        self.lang = lang
        return self

    def __reduce__(self) -> tuple:  # a batch's worker hands summaries back pickled
        return (Untranslated, (str(self), self.lang))


def _no_empty_language(value: object) -> object:
    # An empty or blank text is no language given: dropped, so the other must be there.
    if isinstance(value, dict):
        return {k: (None if k in LANGUAGES and isinstance(v, str) and not v.strip() else v)
                for k, v in value.items()}
    return value


class Text(Strict):
    """A text in the document languages; each may run over several lines (a note, a description).
    One language may be missing (None); ``get`` then gives the other's text as ``Untranslated``."""

    model_config = ConfigDict(
        extra="forbid", frozen=True,
        json_schema_extra={
            "description": "A text in English (en) and Indonesian (id). At least one language is "
            "required (an empty text is none given); a text in one only is accepted with a warning, "
            "and the other language's documents show it as given, marked as not yet translated.",
            "anyOf": [{"required": ["en"]}, {"required": ["id"]}],
        },
    )

    en: Paragraph | None = None
    id: Paragraph | None = None

    @model_validator(mode="before")
    @classmethod
    def _empty_is_missing(cls, value: object) -> object:
        return _no_empty_language(value)

    @model_validator(mode="after")
    def _one_at_least(self) -> Text:
        if self.en is None and self.id is None:
            raise ValueError("give the text in at least one language: en (English), id (Indonesian), or both")
        return self

    def get(self, lang: str) -> str:
        value = getattr(self, lang)
        if value is None:
            other = "id" if lang == "en" else "en"
            return Untranslated(getattr(self, other), other)
        return value

    @property
    def missing(self) -> str | None:
        """The language this text is not given in (None when both are)."""
        return "en" if self.en is None else "id" if self.id is None else None

    @property
    def any(self) -> str:
        """The text in a language it is given in (English first): for messages and keys."""
        return self.en if self.en is not None else self.id  # type: ignore[return-value]


def _label(value: object) -> object:
    """A one-line text in both languages: its line breaks named by language ('en: must be one line...'),
    which the problem report turns into the field path ``<field>.en``."""
    if not isinstance(value, dict):
        return value
    problems = [f"{lang}: {why}" for lang in ("en", "id")
                if isinstance(text := value.get(lang), str) and (why := one_line(text))]
    if problems:
        raise ValueError("; ".join(problems))
    return value


# A name, title or label in both languages (a programme's title, a product's name, a unit): one line,
# as a table cell, a chart's label or a heading holds it.
Label = Annotated[Text, BeforeValidator(_label)]

_LINE: TypeAdapter = TypeAdapter(Line)
_LABEL: TypeAdapter = TypeAdapter(Label)


def _line_or_label(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """One line of text, or one in both languages: each form checked as itself, so that a problem is
    named by its field (and language), not by the union's members."""
    if not isinstance(value, str | dict | Text):
        raise ValueError("give one line of text, or the text in both languages as {en: ..., id: ...}")
    try:
        return (_LINE if isinstance(value, str) else _LABEL).validate_python(value)
    except ValidationError as exc:
        raise ValueError("; ".join(_named(error) for error in exc.errors())) from None


def _named(error: ErrorDetails) -> str:
    why = {"missing": "required field is missing",
           "extra_forbidden": "unknown key (misspelt, or not part of the schema)"}.get(
        error["type"], error["msg"].removeprefix("Value error, "))
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {why}" if where else why


# A published title or author (a line, printed so in both languages) or an unpublished one's wording
# in both languages.
LineOrLabel = Annotated[Line | Label, WrapValidator(_line_or_label)]


class Source(StrEnum):
    """The kinds of source a provenance entry could name before files listed their sources (the
    legacy form, still accepted where no listed source has that id). Documents name them generically."""

    survey = "survey"
    study_table = "study-table"
    study_text = "study-text"
    official_statistics = "official-statistics"
    workshop = "workshop"
    illustrative = "illustrative"
    synthetic = "synthetic"


class SourceKind(StrEnum):
    """What kind of source a listed source is. ``illustrative`` and ``synthetic`` are not survey data
    (documents flag them); ``own-estimate`` is the authors' real estimate of the cluster: not measured,
    and said so, but not flagged as illustrative."""

    study = "study"
    evaluation = "evaluation"
    survey = "survey"
    official_statistics = "official-statistics"
    workshop = "workshop"
    own_estimate = "own-estimate"
    illustrative = "illustrative"
    synthetic = "synthetic"


NOT_SURVEY_DATA = frozenset({SourceKind.illustrative, SourceKind.synthetic})

# The kind each legacy value stands for.
LEGACY_KINDS = {
    Source.survey: SourceKind.survey,
    Source.study_table: SourceKind.study,
    Source.study_text: SourceKind.study,
    Source.official_statistics: SourceKind.official_statistics,
    Source.workshop: SourceKind.workshop,
    Source.illustrative: SourceKind.illustrative,
    Source.synthetic: SourceKind.synthetic,
}


Url = line(500, strip=False, pattern=r"^https?://\S+$")


class DataSource(Strict):
    """A source a params file lists, cited by id from its provenance entries.

    A published title or author is given as a plain string, as published, and printed so in both
    languages: a citation must lead the reader to the catalogue entry, and a translated title names
    a document that does not exist. What has no published title (the authors' estimate, a workshop's
    record, illustrative values) is described in both languages instead, as ``{en: ..., id: ...}``.
    """

    id: Slug = Field(description="Cited by provenance entries: 'source: jica-2004'")
    title: LineOrLabel = Field(description="As published; or {en, id} for an unpublished source")
    author: LineOrLabel = Field(description="Author or publisher, e.g. 'JICA' or 'BPS Kabupaten Kebumen'")
    year: YearSince1900 | None = None
    kind: SourceKind
    note: Text | None = None
    url: Url | None = None

    @property
    def not_survey_data(self) -> bool:
        return self.kind in NOT_SURVEY_DATA


def _one_or_more(value: object) -> object:
    return [value] if isinstance(value, str) else value


# One id or a list of them, always read as a list (one error path, not one per form).
SourceIds = Annotated[
    list[Slug],
    Field(min_length=1),
    BeforeValidator(_one_or_more),
    WithJsonSchema({"anyOf": [
        {"type": "string", "pattern": SLUG_PATTERN},
        {"type": "array", "items": {"type": "string", "pattern": SLUG_PATTERN}, "minItems": 1},
    ]}),
]


class Provenance(Strict):
    field: Line = Field(description="Dotted path of a params field, e.g. 'firms' or 'assessment.demand'")
    source: SourceIds = Field(
        description="Id of a listed source, or a list of ids: 'jica-2004' or [smidep-2021, bps-2015]. "
        "A legacy kind (survey, study-table, study-text, official-statistics, workshop, illustrative, "
        "synthetic) is accepted where no listed source has that id."
    )
    reference: Label | None = Field(
        None, description="Where exactly, in both languages, e.g. en: 'Table 3.1'"
    )


def _path_exists(data: dict, path: str) -> bool:
    """Whether a dotted path names a value given in the file (data: the fields validated so far).
    A name after a list ('stakeholders.contact') names that field of the list's entries: it
    exists where any entry gives it."""
    node: object = data
    parts = path.split(".")
    for n, part in enumerate(parts):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, BaseModel) and part in type(node).model_fields:
            node = getattr(node, part)
        elif isinstance(node, list) and re.fullmatch(r"\d+", part) and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, list) and not re.fullmatch(r"\d+", part):
            rest = ".".join(parts[n:])
            return any(_given(item, part) and _path_exists({"entry": item}, "entry." + rest)
                       for item in node)
        else:
            return False
    return True


def _given(item: object, name: str) -> bool:
    value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
    return value is not None


def source_of(entries: Iterable[Provenance], path: str) -> Provenance | None:
    """The most specific entry covering a dotted path ('firms.table' is covered by 'firms')."""
    best = None
    for entry in entries:
        if path == entry.field or path.startswith(entry.field + "."):
            if best is None or len(entry.field) > len(best.field):
                best = entry
    return best


def check_unique(values: Iterable[str], what: str) -> None:
    """Refuse repeated ids (or names): which of two entries is meant would be unknown."""
    counts = Counter(values)  # not list.count: a firm table of thousands would take seconds
    repeated = sorted(v for v, n in counts.items() if n > 1)
    if repeated:
        raise ValueError(f"{what} repeat: {', '.join(repeated)}")


def check_source_ids(entries: list[Provenance], listed: Iterable[str] | None) -> None:
    """Every entry cites sources the file (or its cluster) lists, or legacy kinds. ``listed`` is None
    when the listed sources are not known (they failed validation: their own error says why)."""
    if listed is None:
        return
    known = set(listed)
    legacy = [s.value for s in Source]
    problems = [
        f"entry {n} (field {entry.field!r}) cites {', '.join(repr(i) for i in unknown)}"
        for n, entry in enumerate(entries, 1)
        if (unknown := [i for i in entry.source if i not in known and i not in legacy])
    ]
    if problems:
        raise ValueError(
            "; ".join(problems) + ": a source must be the id of a source listed under 'sources' ("
            + (", ".join(sorted(known)) or "none listed") + ") or one of the kinds " + ", ".join(legacy)
        )


def check_provenance(entries: list[Provenance], data: dict, sections: tuple[str, ...],
                     listed: Iterable[str] | None = None) -> None:
    """Every entry names a field of the file and cites known sources, and every data section given
    is covered."""
    check_source_ids(entries, listed)
    for entry in entries:
        if entry.field.split(".")[0] in sections and entry.field.split(".")[0] not in data:
            continue  # that section is absent or failed validation: its own error says why
        if not _path_exists(data, entry.field):
            raise ValueError(f"names {entry.field!r}, which is not a field of this file")
    covered = {e.field.split(".")[0] for e in entries}
    missing = [s for s in sections if data.get(s) not in (None, []) and s not in covered]
    if missing:
        raise ValueError("does not say where these come from: " + ", ".join(missing))


class Condition(StrEnum):
    """The five conditions: Porter's four determinants and social capital."""

    demand = "demand"
    factor = "factor"
    firm_strategy = "firm_strategy"
    related_supporting = "related_supporting"
    social_capital = "social_capital"


def stakeholder_problems(ids: dict[str, str], context: dict | None) -> list[str]:
    """Stakeholder ids (field -> id) that the cluster's params file does not define."""
    cluster = (context or {}).get("cluster")
    if cluster is None:
        return []
    known = {s.id for s in cluster.stakeholders}
    return [f"{field}: {_not_stakeholder(value, known)}"
            for field, value in ids.items() if value not in known]


def _not_stakeholder(value: str, known: set[str]) -> str:
    defined = ", ".join(sorted(known)) or "none"
    return f"{value!r} is not a stakeholder of the cluster (its params file defines: {defined})"


def require_stakeholder(value: str, context: dict | None) -> str:
    """A field that names one stakeholder (a programme's lead, a risk's owner, an action's doer): its
    id must be one of the cluster's; pydantic puts the field's name before the message."""
    cluster = (context or {}).get("cluster")
    if cluster is not None and value not in (known := {s.id for s in cluster.stakeholders}):
        raise ValueError(_not_stakeholder(value, known))
    return value


def check_cluster_id(value: str, context: dict | None) -> str:
    cluster = (context or {}).get("cluster")
    if cluster is not None and value != cluster.id:
        raise ValueError(f"is {value!r} but the params file beside it is cluster {cluster.id!r}")
    return value


class ClusterFile(Strict):
    """A file beside a cluster's params that names its cluster."""

    @field_validator("cluster", check_fields=False)
    @classmethod
    def _same_cluster(cls, value: str, info: ValidationInfo) -> str:
        return check_cluster_id(value, info.context)


class Sidecar(ClusterFile):
    """A data file beside a cluster's params: its provenance covers every data section it gives
    (``DATA_SECTIONS``) and cites its own sources or the cluster's (ids unique across both)."""

    DATA_SECTIONS: ClassVar[tuple[str, ...]] = ()

    sources: list[DataSource] = Field(
        default_factory=list,
        description="Sources of this file's data besides the cluster's (ids unique across both)",
    )

    @field_validator("sources")
    @classmethod
    def _sources_apart(cls, items: list[DataSource], info: ValidationInfo) -> list[DataSource]:
        check_unique((s.id for s in items), "source ids")
        cluster = (info.context or {}).get("cluster")
        clashes = sorted({s.id for s in items} & {s.id for s in (cluster.sources if cluster else [])})
        if clashes:
            raise ValueError(
                f"{', '.join(map(repr, clashes))} {'is' if len(clashes) == 1 else 'are'} also listed "
                "in the cluster's params file: list a source once, there, and cite it here by its id"
            )
        return items

    @field_validator("provenance", check_fields=False)
    @classmethod
    def _provenance(cls, entries: list[Provenance], info: ValidationInfo) -> list[Provenance]:
        check_provenance(entries, info.data, cls.DATA_SECTIONS, cls._citable(info))
        return entries

    @classmethod
    def _citable(cls, info: ValidationInfo) -> list[str] | None:
        """The source ids the provenance may cite; None where they cannot be known (the sources
        failed validation, or the file is read without its cluster)."""
        cluster = (info.context or {}).get("cluster")
        if "sources" not in info.data or cluster is None:
            return None
        return [s.id for s in (*cluster.sources, *info.data["sources"])]
