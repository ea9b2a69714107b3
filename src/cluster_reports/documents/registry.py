"""The registry of document kinds: what each kind presents (its context, charts and tables) and
what it needs besides the cluster's own params file.

A cluster document kind is made from one cluster (``Kind``); a roll-up from the summaries of many
(``Rollup``). The composer turns either into a document tree through the kind's templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cluster_reports.documents import (
    action_plan,
    guideline,
    i18n,
    monitoring,
    national_summary,
    profile,
    province_summary,
    strategy,
)
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs import programmes
from cluster_reports.inputs.params_io import LoadedParams

Context = Callable[[LoadedParams | None, list[ClusterSummary], i18n.Labels], dict]
Charts = Callable[[dict, i18n.Labels, i18n.Formatter], dict]
Tables = Callable[[dict, i18n.Labels], dict]  # context -> {name: pandas.DataFrame}, for notebooks


@dataclass(frozen=True)
class Kind:
    """A document kind: how its context and charts are made, and what it needs besides the cluster."""

    name: str
    context: Context
    charts: Charts
    tables: Tables
    requires: tuple[str, ...] = ()  # sidecar parts: "strategy", "plan", "monitoring"
    general: bool = False  # also has an edition for no particular cluster


def _profile_context(loaded: LoadedParams | None, peers: list[ClusterSummary], labels: i18n.Labels) -> dict:
    assert loaded is not None  # the profile has no general edition
    # The findings point to library programmes even where the cluster has no plan (which is when
    # the library is loaded with the params): then the one given or nearest the file, else the shipped one.
    folder = loaded.programmes_folder or programmes.folder_for(loaded.path)
    library = loaded.library or programmes.load(folder)
    return profile.context(loaded.params, peers, labels, library.programmes)


KINDS: dict[str, Kind] = {
    "profile": Kind("profile", _profile_context, profile.chart_specs, profile.tables),
    "strategy": Kind("strategy", strategy.context, strategy.chart_specs, strategy.tables,
                     requires=("strategy",)),
    "action-plan": Kind("action-plan", action_plan.context, action_plan.chart_specs, action_plan.tables,
                        requires=("plan",)),
    "monitoring": Kind("monitoring", monitoring.context, monitoring.chart_specs,
                       monitoring.tables, requires=("plan", "monitoring")),
    "guideline": Kind("guideline", guideline.context, guideline.chart_specs, guideline.tables,
                      general=True),
}


# (summaries, province slug or None, labels); keyword library: the programme library (None: shipped)
RollupContext = Callable[..., dict]


@dataclass(frozen=True)
class Rollup:
    """A document over many clusters (a province's, the nation's), made from their summaries."""

    name: str
    context: RollupContext  # (summaries, province slug or None for national, labels)
    charts: Charts
    tables: Tables
    per_province: bool


ROLLUPS: dict[str, Rollup] = {
    "province-summary": Rollup("province-summary", province_summary.context, province_summary.chart_specs,
                               province_summary.tables, per_province=True),
    "national-summary": Rollup("national-summary", national_summary.context, national_summary.chart_specs,
                               national_summary.tables, per_province=False),
}


class ComposeError(ValueError):
    pass


class NotAvailable(ComposeError):
    """The cluster lacks what a document kind needs (e.g. no plan for the action plan)."""


def missing_parts(loaded: LoadedParams, kind: str) -> list[str]:
    return [part for part in KINDS[kind].requires if part not in loaded.parts]


def unavailable_reason(loaded: LoadedParams, kind: str) -> str | None:
    missing = missing_parts(loaded, kind)
    if not missing:
        return None
    files = ", ".join(f"{loaded.params.id}.{part}.yaml" for part in missing)
    return f"{kind} for {loaded.params.id}: it needs {files} beside {loaded.path.name}"
