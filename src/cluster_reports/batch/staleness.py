"""Staleness: from the scan, the clusters' summaries and the manifest's rows, which cluster documents
must be rendered. Plain functions over data: no Dask, nothing written.

A document's key hashes everything that shapes it: its kind's templates and the package version, the
engine, the cluster's raw inputs, the language and format, and for a profile what its peers' selection
table shows. A document is fresh when the manifest holds it under that key and its file is still there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cluster_reports.batch.engines import Job

from .manifest import FAILED, RENDERED, UNAVAILABLE, ClusterRow, DocumentRow
from .scan import Digests, Source, hash_parts

DocKey = tuple[str, str, str, str]  # (subject, kind, lang, fmt), as the manifest's documents
Group = tuple[str, str]  # (group, selection round): the clusters a profile ranks its cluster among


@dataclass(frozen=True)
class Stale:
    """A cluster with documents to render."""

    source: Source
    jobs: tuple[Job, ...]
    group: Group | None  # whose summaries go with it as peers; None when no profile is asked for


@dataclass
class Plan:
    stale: list[Stale] = field(default_factory=list)
    keys: dict[DocKey, str] = field(default_factory=dict)  # of every document asked for, recorded with it
    groups: dict[Group, list[dict]] = field(default_factory=dict)  # the summaries of each group-round
    up_to_date: int = 0  # documents
    unavailable: int = 0  # documents fresh as "not available" (the cluster lacks their data)
    clusters_up_to_date: int = 0


def cached_summaries(sources: dict[str, Source], rows: dict[str, ClusterRow]) -> tuple[dict, list[Source]]:
    """The summaries the manifest holds for clusters whose inputs are unchanged (an unchanged cluster is
    neither loaded nor validated), and the clusters to load for theirs."""
    known: dict[str, dict] = {}
    dirty: list[Source] = []
    for rel, source in sources.items():
        row = rows.get(rel)
        if row and row.status != FAILED and row.input_hash == source.input_hash and row.summary:
            known[rel] = row.summary
        else:
            dirty.append(source)
    return known, dirty


def without_duplicate_ids(summaries: dict[str, dict]) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """The summaries of clusters whose id no other file uses; the others as (file, message)."""
    by_id: dict[str, list[str]] = {}
    for rel, data in summaries.items():
        by_id.setdefault(data["id"], []).append(rel)
    problems = [
        (rel, f"id: duplicate id {cluster_id!r}, also used by {', '.join(r for r in rels if r != rel)}")
        for cluster_id, rels in by_id.items()
        if len(rels) > 1
        for rel in rels
    ]
    duplicated = {rel for rel, _ in problems}
    return {rel: data for rel, data in summaries.items() if rel not in duplicated}, problems


def vanished(rows: dict[str, ClusterRow], sources: dict[str, Source],
             problems: list[tuple[str, str]]) -> list[str]:
    """Clusters in the manifest whose params file is gone (a stray file stays: it is reported)."""
    stray = dict(problems)
    return [s for s in rows if s not in sources and s not in stray]


def peer_digest(members: list[dict]) -> str:
    """What of a group-round's clusters shows in a profile's selection table (not their firms etc.)."""
    fields = ("id", "name_en", "name_id", "growth", "action")
    return hash_parts(json.dumps(sorted([m[f] for f in fields] for m in members)))


def group_of(summary: dict) -> Group:
    return summary["group"], summary["selection_round"]


def is_fresh(row: DocumentRow | None, key: str, out: Path) -> bool:
    """Recorded under this key, and (unless "not available") its file still there."""
    if row is None or row.key != key:
        return False
    if row.status == UNAVAILABLE:
        return True
    return row.status == RENDERED and row.path is not None and (out / row.path).is_file()


def stale_clusters(
    summaries: dict[str, dict],
    sources: dict[str, Source],
    documents: dict[DocKey, DocumentRow],
    digests: Digests,
    *,
    kinds: list[str],
    langs: list[str],
    formats: list[str],
    out: Path,
    force: bool = False,
) -> Plan:
    """The documents of ``kinds`` (cluster kinds) whose key or file changed, per cluster, in the
    order of ``summaries``; with --force, all of them."""
    plan = Plan()
    for data in summaries.values():
        plan.groups.setdefault(group_of(data), []).append(data)
    group_digests = {g: peer_digest(members) for g, members in plan.groups.items()}
    for rel, data in summaries.items():
        source = sources[rel]
        group = group_of(data)
        jobs = []
        for kind in kinds:
            for lang in langs:
                stale = []
                for fmt in formats:
                    extra = group_digests[group] if kind == "profile" else ""
                    key = hash_parts(
                        digests.kinds[kind], digests.engine, source.input_hash, kind, lang, fmt, extra
                    )
                    plan.keys[(rel, kind, lang, fmt)] = key
                    row = documents.get((rel, kind, lang, fmt))
                    if force or not is_fresh(row, key, out):
                        stale.append(fmt)
                    elif row.status == UNAVAILABLE:
                        plan.unavailable += 1
                    else:
                        plan.up_to_date += 1
                if stale:
                    jobs.append(Job(kind, lang, tuple(stale)))
        if not jobs:
            plan.clusters_up_to_date += 1
            continue
        plan.stale.append(Stale(source, tuple(jobs), group if "profile" in kinds else None))
    return plan
