"""Pieces every params file shares: strict models, two-language texts, ids, money, provenance."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Rupiah = Annotated[int, Field(ge=0, description="Amount in Rupiah (IDR), no decimals")]

class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both document languages."""

    en: NonEmpty
    id: NonEmpty

    def get(self, lang: str) -> str:
        return getattr(self, lang)


class Source(StrEnum):
    """Where a value comes from, as the data-sources section of every document reports it."""

    survey = "survey"
    study_table = "study-table"
    study_text = "study-text"
    official_statistics = "official-statistics"
    workshop = "workshop"
    illustrative = "illustrative"
    synthetic = "synthetic"


class Provenance(Strict):
    field: NonEmpty = Field(description="Dotted path of a params field, e.g. 'firms' or 'assessment.demand'")
    source: Source
    reference: Text | None = Field(
        None, description="Where exactly, in both languages, e.g. en: 'JICA 2004 study, Table 3.1'"
    )


def _path_exists(data: dict, path: str) -> bool:
    """Whether a dotted path names a value given in the file (data: the fields validated so far)."""
    node: object = data
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, BaseModel) and part in type(node).model_fields:
            node = getattr(node, part)
        elif isinstance(node, list) and re.fullmatch(r"\d+", part) and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


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
    values = list(values)
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"{what} repeat: {', '.join(repeated)}")


def check_provenance(entries: list[Provenance], data: dict, sections: tuple[str, ...]) -> None:
    """Every entry names a field of the file, and every data section given is covered."""
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
    return [
        f"{field}: {value!r} is not a stakeholder of the cluster "
        f"(its params file defines: {', '.join(sorted(known)) or 'none'})"
        for field, value in ids.items()
        if value not in known
    ]


def check_cluster_id(value: str, context: dict | None) -> str:
    cluster = (context or {}).get("cluster")
    if cluster is not None and value != cluster.id:
        raise ValueError(f"is {value!r} but the params file beside it is cluster {cluster.id!r}")
    return value


class Sidecar(Strict):
    """A file beside a cluster's params: it names its cluster, and its provenance covers every data
    section it gives (``DATA_SECTIONS``)."""

    DATA_SECTIONS: ClassVar[tuple[str, ...]] = ()

    @field_validator("cluster", check_fields=False)
    @classmethod
    def _same_cluster(cls, value: str, info: ValidationInfo) -> str:
        return check_cluster_id(value, info.context)

    @field_validator("provenance", check_fields=False)
    @classmethod
    def _provenance(cls, entries: list[Provenance], info: ValidationInfo) -> list[Provenance]:
        check_provenance(entries, info.data, cls.DATA_SECTIONS)
        return entries
