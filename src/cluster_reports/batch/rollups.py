"""Roll-ups: which exist for the batch's clusters (each province's, the national one), their keys, and
which are stale. A roll-up is rebuilt only when its members' summaries (with the documents rendered for
them) or its kind's templates changed, or its file is gone."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from cluster_reports.documents import province_summary, registry
from cluster_reports.domain.summary import ClusterSummary

from .manifest import RENDERED, DocumentRow, rollup_subject
from .scan import Digests, hash_parts
from .staleness import DocKey, is_fresh


@dataclass(frozen=True)
class Rollup:
    kind: str
    province: str | None  # its slug; None: the national roll-up
    members: list[ClusterSummary]

    @property
    def subject(self) -> str:
        return rollup_subject(self.province)


@dataclass
class RollupPlan:
    stale: list[Rollup] = field(default_factory=list)
    keys: dict[DocKey, str] = field(default_factory=dict)
    up_to_date: int = 0  # documents


def members(
    summaries: dict[str, dict], documents: dict[DocKey, DocumentRow], kinds: list[str], langs: list[str],
    formats: list[str],
) -> list[ClusterSummary]:
    """Each valid cluster's summary with the kinds (of ``kinds``) rendered for it in every language and
    format asked for: a roll-up lists them."""
    result = []
    for rel, data in summaries.items():
        rendered = tuple(
            kind
            for kind in kinds
            if all(
                getattr(documents.get((rel, kind, lang, fmt)), "status", None) == RENDERED
                for lang in langs
                for fmt in formats
            )
        )
        result.append(replace(ClusterSummary.from_dict(data), documents=rendered))
    return result


def selection(kinds: list[str], members: list[ClusterSummary]) -> list[Rollup]:
    """The roll-ups of ``kinds`` (roll-up kinds): one per province with members, or one national one."""
    rollups: list[Rollup] = []
    for kind in kinds:
        if registry.ROLLUPS[kind].per_province:
            provinces: dict[str, list[ClusterSummary]] = {}
            for m in members:
                provinces.setdefault(m.province_slug, []).append(m)
            # With the clusters of other provinces in its selection rounds, for the round ranks (so
            # that a change of their scores makes the province's roll-up stale too).
            rollups += [Rollup(kind, slug, province_summary.members(members, slug))
                        for slug in sorted(provinces)]
        elif members:
            rollups.append(Rollup(kind, None, members))
    return rollups


def members_digest(members: list[ClusterSummary]) -> str:
    return hash_parts(
        json.dumps(sorted((m.to_dict() for m in members), key=lambda d: d["id"]), sort_keys=True)
    )


def stale_rollups(
    rollups: list[Rollup],
    documents: dict[DocKey, DocumentRow],
    digests: Digests,
    *,
    langs: list[str],
    formats: list[str],
    out: Path,
    force: bool = False,
    library: str = "",
) -> RollupPlan:
    """A roll-up is rendered in all its languages and formats at once: stale when any of them is.
    ``library``: the digest of the programme library whose national programmes the roll-ups show."""
    plan = RollupPlan()
    for rollup in rollups:
        content = members_digest(rollup.members) + library
        fresh = True
        for lang in langs:
            for fmt in formats:
                doc = (rollup.subject, rollup.kind, lang, fmt)
                key = hash_parts(digests.kinds[rollup.kind], rollup.kind, lang, fmt, content)
                plan.keys[doc] = key
                fresh &= not force and is_fresh(documents.get(doc), key, out)
        if fresh:
            plan.up_to_date += len(langs) * len(formats)
        else:
            plan.stale.append(rollup)
    return plan
