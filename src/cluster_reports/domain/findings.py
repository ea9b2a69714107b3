"""What the assessment means for a cluster: its weak conditions and its constraints, each with the
library programmes that answer it.

Which programme answers what is data (``addresses`` on each library programme), not a rule here.
The conditions to act on are the weakest of the five by the one tie rule (``extremes``): all tied
for the lowest score are named. None is to act on when the weakest is strong (score 4 or 5), and
when all five share one score they are all to act on only if that score is not strong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cluster_reports.inputs.schema import ClusterParams
from cluster_reports.inputs.schema.cluster import ConstraintCategory
from cluster_reports.inputs.schema.library import LibraryProgramme

from .extremes import extremes

STRONG = 4  # "strong" and "very strong" (score words of 4 and 5) need no remedy first
CONDITIONS = ("demand", "factor", "firm_strategy", "related_supporting", "social_capital")


@dataclass(frozen=True)
class Finding:
    kind: str  # "condition" or "constraint"
    key: str  # a condition key, or a constraint category
    score: int | None  # a condition's score
    count: int | None  # a constraint category's number of recorded constraints
    programmes: tuple[LibraryProgramme, ...]  # national ones first (Table 5.1 order), then pilot types


@dataclass(frozen=True)
class Findings:
    conditions: tuple[Finding, ...]  # the weak conditions to act on first (ties kept)
    constraints: tuple[Finding, ...]  # one per category with a recorded constraint, Table 2.2 order
    all_equal: bool
    low: int  # the lowest condition score
    high: int

    @property
    def rows(self) -> tuple[Finding, ...]:
        return self.conditions + self.constraints

    @property
    def unanswered(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.rows if not f.programmes)

    @property
    def programmes(self) -> tuple[LibraryProgramme, ...]:
        """Every programme recommended, once, in the order of first mention."""
        seen: dict[str, LibraryProgramme] = {}
        for f in self.rows:
            for p in f.programmes:
                seen.setdefault(p.id, p)
        return tuple(seen.values())


    @property
    def leading(self) -> tuple[LibraryProgramme, ...]:
        """The programmes that answer a weak condition and a recorded constraint at once: where the
        cluster's action plan starts. Empty when no programme does (or either side is empty)."""
        return tuple(_order(p for p in self.programmes
                            if any(p in f.programmes for f in self.conditions)
                            and any(p in f.programmes for f in self.constraints)))


def _order(programmes: Iterable[LibraryProgramme]) -> list[LibraryProgramme]:
    return sorted(programmes, key=lambda p: (p.source != "national", p.number or 0, p.id))


def answering(target: str, library: Sequence[LibraryProgramme]) -> tuple[LibraryProgramme, ...]:
    return tuple(_order(p for p in library if target in p.addresses))


def findings(params: ClusterParams, library: Mapping[str, LibraryProgramme] | None) -> Findings:
    programmes = list((library or {}).values())
    scores = {k: getattr(params.assessment, k).score for k in CONDITIONS}
    ext = extremes(CONDITIONS, lambda k: scores[k])
    weak = () if ext.low >= STRONG else ext.weakest  # all five when all share a score that is not strong
    conditions = tuple(Finding("condition", k, scores[k], None, answering(k, programmes)) for k in weak)
    counts = {c: sum(1 for k in params.constraints if k.category is c) for c in ConstraintCategory}
    constraints = tuple(
        Finding("constraint", c.value, None, n, answering(f"constraint:{c.value}", programmes))
        for c, n in counts.items() if n
    )
    return Findings(conditions, constraints, ext.all_equal, int(ext.low), int(ext.high))
