"""The provincial roll-up: identification of potential clusters in one province.

What a provincial cluster forum needs to identify potential clusters (section 4.4 (1) of the study):
the clusters ranked by the selection method of Table 3.1 within their group and selection round,
beside their social capital and growth seeds; the province's clusters by group, sub-sector and
regency. Made from ClusterSummary records only, so it scales to a province of hundreds of clusters.

A selection round may span provinces (the 2004 study scored ten clusters of six provinces
together). The roll-up is then given the round's clusters of other provinces too (``members``), so
that it states both ranks with their scope: in the province's group, and in the round.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import altair as alt
import pandas as pd

from cluster_reports.domain import firms, scoring
from cluster_reports.domain.shares import adds_up
from cluster_reports.domain.subsectors import (
    Totals,
    by_count,
    by_subsector,
    group_by,
    most_workers,
    shares,
    totals,
)
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.programmes import ProgrammeLibrary
from cluster_reports.inputs.regions import slugify
from cluster_reports.inputs.schema import ClusterGroup

from . import charts, national_programmes
from .i18n import Formatter, Labels

TOP_SHOWN = 10  # clusters per group and round in the body; the annex lists every cluster
ANNEX_LIMIT = 400  # beyond this many clusters the annex would run past a dozen pages: left out
REGENCIES_CHARTED = 15
SUBSECTORS_CHARTED = 10
SOCIAL_CAPITAL_MIN = 3  # "moderate" or better on the profile's 1-5 scale
IDENTIFICATION_BUDGET_PER_REGENCY = 3_000_000  # section 5.2 (1): Rp 3 million per regency
GROUP_ORDER = [g.value for g in ClusterGroup]
P = "province-summary."
STUDY_ROUND, STUDY_YEAR = "jica-2004", 2004  # the round of the study's ten sample clusters (Table 3.1)


@dataclass(frozen=True)
class RankedCluster:
    id: str
    name: str
    regency: str
    isic: str
    growth: int
    action: int
    percentage: float
    rank: int
    social_capital: int
    growth_seeds: int | None
    above_reference: int | None
    value_added: int | None
    value_added_share_pct: float | None  # of the province's recorded value added
    synthetic: bool
    # Its rank among every cluster of its group in its selection round, where that round also
    # scored clusters of other provinces (else None: the province's rank is the round's).
    round_rank: int | None = None
    round_size: int | None = None
    round_tied: int = 0  # other clusters of the round on the same score

    @property
    def promising(self) -> bool:
        """What section 4.4 (1) says decides potentiality: growth seeds and social capital."""
        return bool(self.growth_seeds) and self.social_capital >= SOCIAL_CAPITAL_MIN


@dataclass(frozen=True)
class GroupRanking:
    group: str
    selection_round: str
    clusters: list[RankedCluster]  # every member, ranked

    @property
    def total(self) -> int:
        return len(self.clusters)

    @property
    def shown(self) -> list[RankedCluster]:
        return self.clusters[:TOP_SHOWN]

    @property
    def leaders(self) -> list[RankedCluster]:
        return [r for r in self.clusters if r.rank == 1]

    @property
    def promising(self) -> list[RankedCluster]:
        return [r for r in self.clusters if r.promising]

    @property
    def shown_promising(self) -> list[RankedCluster]:
        return [r for r in self.shown if r.promising]

    @property
    def key(self) -> str:
        """Names the group's chart and table in the document."""
        return f"{self.group}-{slugify(self.selection_round)}" if self.selection_round else self.group


def members(summaries: list[ClusterSummary], slug: str) -> list[ClusterSummary]:
    """What a province's roll-up is made from: the province's clusters, and the clusters of other
    provinces scored in the same selection round and group as one of them (for the round ranks)."""
    own = [s for s in summaries if s.province_slug == slug]
    scopes = {(s.selection_round, s.group) for s in own}
    return own + [_as_peer(s) for s in summaries
                  if s.province_slug != slug and (s.selection_round, s.group) in scopes]


def _as_peer(s: ClusterSummary) -> ClusterSummary:
    """A cluster of another province as the round rank reads it: its id, group, round and scores.
    The rest is blanked, so that a change in it (its name, its workers, its documents) does not
    make this province's roll-up stale; the document names no cluster of another province."""
    return replace(s, name_en="", name_id="", regency="", isic="", industry_en="", industry_id="",
                   firms=0, workers=None,
                   annual_sales=None, value_added=None, social_capital=0, potentially_viable=None,
                   above_reference=None, synthetic=False, documents=(), plan_year=None,
                   plan_programmes=())


def rank_groups(summaries: list[ClusterSummary], lang: str,
                round_peers: list[ClusterSummary] | tuple = ()) -> list[GroupRanking]:
    """Rank each group within each selection round, as the study's Table 3.1 does. Equal scores
    share a rank (scoring.rank); within a rank, stronger social capital and more growth seeds come
    first, the two things section 4.4 (1) says potentiality mainly depends on. ``round_peers``:
    clusters of other provinces in the same rounds, which give each cluster its rank in the round."""
    # Each cluster's share of the province's recorded value added, by largest remainder over the
    # clusters: where a cluster is alone in its regency or sub-sector, the share its sentence
    # quotes is the one the regency or sub-sector table prints.
    recorded = [s for s in summaries if s.value_added is not None]
    va_shares = dict(zip([s.id for s in recorded], shares([s.value_added for s in recorded]), strict=True))
    province_added = sum(s.value_added for s in recorded)
    rankings = []
    peers_by_scope = group_by(list(round_peers), lambda s: (s.selection_round, s.group))
    for (round_, group), members in group_by(summaries, lambda s: (s.selection_round, s.group)).items():
        scored = scoring.rank(scoring.Entry(s.id, s.group, s.growth, s.action) for s in members)
        peers = peers_by_scope.get((round_, group), [])
        in_round = scoring.rank(
            scoring.Entry(s.id, s.group, s.growth, s.action) for s in [*members, *peers]
        ) if peers else {}
        size = len(members) + len(peers)
        rows = [
            RankedCluster(
                id=s.id,
                name=getattr(s, f"name_{lang}"),
                regency=s.regency,
                isic=s.isic,
                growth=s.growth,
                action=s.action,
                percentage=float(scored[s.id].percentage),
                rank=scored[s.id].rank,
                social_capital=s.social_capital,
                growth_seeds=s.potentially_viable,
                above_reference=s.above_reference,
                value_added=s.value_added,
                value_added_share_pct=va_shares.get(s.id) if province_added else None,
                synthetic=s.synthetic,
                round_rank=in_round[s.id].rank if in_round else None,
                round_size=size if in_round else None,
                round_tied=sum(1 for k, v in in_round.items()
                               if k != s.id and v.percentage == in_round[s.id].percentage),
            )
            for s in members
        ]
        rows.sort(key=lambda r: (r.rank, -r.social_capital, -(r.growth_seeds or 0), r.name, r.id))
        rankings.append(GroupRanking(group, round_, rows))
    order = {g: i for i, g in enumerate(GROUP_ORDER)}
    rankings.sort(key=lambda g: (order.get(g.group, len(order)), g.selection_round))
    return rankings


# Words PUEBI leaves in lower case inside a title: conjunctions and prepositions.
_TITLE_LOWER = frozenset(
    "dan atau serta di ke dari dengan pada untuk bagi oleh dalam menurut tentang sambil yang".split()
)


def heading_case(text: str, lang: str) -> str:
    """A heading as the language writes it: Indonesian in title case ('Produk Perdesaan dan Khas
    Daerah'), English as given (sentence case). Only for headings made of the catalogue's words."""
    if lang != "id":
        return text
    def cap(word: str) -> str:
        start = 1 if word[:1] in "(“\"" else 0  # past an opening bracket or quote
        return word[:start] + word[start:start + 1].upper() + word[start + 1:]

    return " ".join(w if i and w.lower() in _TITLE_LOWER else cap(w) for i, w in enumerate(text.split(" ")))


def ordinal(n: int, labels: Labels) -> str:
    """'third', 'ketiga'; above ten '12th', 'ke-12'."""
    worded = labels.entries.get(f"{P}ordinal.{n}")
    if worded is not None:
        return worded
    if labels.lang != "en":
        return labels(P + "ordinal.other").format(n=n)
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def cardinal(n: int, labels: Labels) -> str:
    """'three', 'tiga' up to ten; a figure above."""
    return labels.entries.get(f"{P}cardinal.{n}") or Formatter(labels.lang).number(n)


def round_place(r: RankedCluster, labels: Labels) -> str | None:
    """Where a cluster stands in its selection round ('third of three clusters of the group', with
    'level with one other cluster' on a tie); None where the round is the province's own."""
    if r.round_rank is None or r.round_size is None:
        return None
    place = labels(P + "rank.place").format(ordinal=ordinal(r.round_rank, labels),
                                             size=cardinal(r.round_size, labels))
    return place + (labels.count(P + "rank.level", r.round_tied) if r.round_tied else "")


def _check(summaries: list[ClusterSummary], key: str | None) -> None:
    if not summaries:
        raise ValueError(f"province-summary for {key}: no cluster to summarise")
    peers = {s.id for s in members(summaries, key)} if key is not None else set()
    strangers = [s.id for s in summaries if key is not None and s.id not in peers]
    if strangers:
        raise ValueError(
            f"province-summary for {key}: clusters of another province were given, scored in no "
            f"selection round and group of {key}'s: {', '.join(strangers[:5])}"
        )
    provinces = {s.province_slug for s in summaries}
    if key is None and len(provinces) > 1:
        raise ValueError(f"province-summary: clusters of {len(provinces)} provinces given, one expected")


def context(summaries: list[ClusterSummary], key: str | None, labels: Labels,
            library: ProgrammeLibrary | None = None) -> dict:
    """``library``: the programme library whose national programmes the roll-up presents (None:
    the shipped one)."""
    _check(summaries, key)
    lang = labels.lang
    slug = key or summaries[0].province_slug
    round_peers = [s for s in summaries if s.province_slug != slug]
    summaries = [s for s in summaries if s.province_slug == slug]
    if not summaries:
        raise ValueError(f"province-summary for {key}: no cluster of the province was given")
    province = summaries[0].province
    whole = totals(summaries, key or summaries[0].province_slug, province)
    rankings = rank_groups(summaries, lang, round_peers)
    groups = by_count(group_by(summaries, lambda s: s.group), lambda g: labels(f"group.{g}"))
    groups.sort(key=lambda t: GROUP_ORDER.index(t.key) if t.key in GROUP_ORDER else len(GROUP_ORDER))
    subsectors = by_subsector(summaries, lang)
    regencies = by_count(group_by(summaries, lambda s: s.regency), lambda r: r)
    rounds = sorted({s.selection_round for s in summaries})
    names = round_names(summaries, labels)
    shared = {s.selection_round for s in round_peers}
    ranked = [r for g in rankings for r in g.clusters]
    group_shares = shares([g.clusters for g in groups])
    subsector_va_shares = shares([t.value_added for t in subsectors])
    regency_va_shares = shares([t.value_added for t in regencies])
    return {
        "round_places": {r.id: round_place(r, labels) for r in ranked},
        "place_words": {g.key: cardinal(g.total, labels) for g in rankings},
        "title_suffix": province,
        "province": province,
        "whole": whole,
        "rankings": rankings,
        "group_titles": {
            g.key: labels(f"group.{g.group}")
            + (f" ({labels(P + 'head.round').lower()} {names[g.selection_round]})" if len(rounds) > 1 else "")
            for g in rankings
        },
        # The same as headings: Indonesian headings in title case (PUEBI), English in sentence case.
        "group_headings": {
            g.key: heading_case(labels(f"group.{g.group}")
                                + (f" ({labels(P + 'head.round').lower()} {names[g.selection_round]})"
                                   if len(rounds) > 1 else ""), lang)
            for g in rankings
        },
        "rounds": rounds,
        "round_names": names,
        # Rounds that also scored clusters of other provinces (given as round peers): the ranks in
        # the tables count this province's clusters only, the text gives the rank in the round too.
        "shared_rounds": [r for r in rounds if r in shared],
        "shared_round_names": [names[r] for r in rounds if r in shared],
        # How many of the province's clusters each round scored: a sentence on a shared round
        # says how many of them it covers, not that all of them were scored in it.
        "round_counts": {r: sum(1 for s in summaries if s.selection_round == r) for r in rounds},
        "groups": groups,
        "group_shares": dict(zip([g.key for g in groups], group_shares, strict=True)),
        "group_shares_add_up": adds_up(group_shares),
        "subsectors": subsectors,
        "subsector_va_shares": subsector_va_shares,
        "subsector_va_shares_add_up": adds_up(subsector_va_shares),
        "most_workers": most_workers(subsectors),
        "regencies": regencies,
        "regency_va_shares": regency_va_shares,
        "regency_va_shares_add_up": adds_up(regency_va_shares),
        # Clusters that record value added: one alone holds the whole of it (no share to quote).
        "value_added_recorded": sum(1 for s in summaries if s.value_added is not None),
        # The reference years of the value added summed here: Rupiah of different years.
        "value_added_years": value_added_years(summaries),
        "annex_included": len(ranked) <= ANNEX_LIMIT,
        "annex_limit": ANNEX_LIMIT,
        "top_shown": TOP_SHOWN,
        "promising": [r for r in ranked if r.promising],
        "above_reference": sum(r.above_reference or 0 for r in ranked),
        "above_reference_known": sum(1 for r in ranked if r.above_reference is not None),
        "sales_reference": firms.SALES_REFERENCE,
        "social_capital_min": SOCIAL_CAPITAL_MIN,
        "identification_budget": IDENTIFICATION_BUDGET_PER_REGENCY * len(regencies),
        "budget_per_regency": IDENTIFICATION_BUDGET_PER_REGENCY,
        "regencies_charted": min(REGENCIES_CHARTED, len(regencies)),
        "subsectors_charted": min(SUBSECTORS_CHARTED, len(subsectors)),
        # The study's national action programmes (Table 5.1) and the province's plans drawing on them.
        "np": national_programmes.chapter(summaries, library, labels, P),
    }


def chart_specs(ctx: dict, labels: Labels, fmt: Formatter) -> dict[str, tuple[alt.Chart, str]]:
    """One chart of scores per group ranking, and the province's clusters by sub-sector and regency."""
    province = ctx["province"]
    specs: dict[str, tuple[alt.Chart, str]] = {}
    for g in ctx["rankings"]:
        rows = [{"cluster": r.name, "pct": r.percentage} for r in g.shown]
        alt_text = (
            f"{labels('chart.selection')}, {labels('group.' + g.group)}, {province}: "
            + "; ".join(f"{r['cluster']} {fmt.percent(r['pct'])}" for r in rows)
        )
        specs[f"ranking-{g.key}"] = (
            charts.bar(rows, "cluster", "pct", labels("chart.selection"), value_format=",.1f",
                       domain=(0, 100)),
            alt_text,
        )
    count_title = labels(P + "chart.clusters")
    for name, items, limit in (("subsectors", ctx["subsectors"], ctx["subsectors_charted"]),
                               ("regencies", ctx["regencies"], ctx["regencies_charted"])):
        top = sorted(items, key=lambda t: (-t.clusters, t.label))[:limit]
        rows = [{"label": t.label, "clusters": t.clusters} for t in top]
        alt_text = f"{count_title}, {province}: " + "; ".join(
            f"{r['label']} {fmt.number(r['clusters'])}" for r in rows
        )
        specs[name] = (charts.bar(rows, "label", "clusters", count_title), alt_text)
    return specs


def _totals_frame(items: list[Totals], first: str, labels: Labels) -> pd.DataFrame:
    return pd.DataFrame(
        [(t.label, t.clusters, t.firms, t.workers, t.value_added) for t in items],
        columns=[first, labels(P + "head.clusters"), labels("head.firms"), labels("head.workers"),
                 labels(P + "head.value_added_rp")],
    )


def value_added_years(summaries: list[ClusterSummary]) -> list[int]:
    """The reference years of the clusters whose value added a roll-up sums, where there are more
    than one (its sum then adds Rupiah of different years); else none."""
    years = sorted({s.reference_year for s in summaries if s.value_added is not None and s.reference_year})
    return years if len(years) > 1 else []


def round_names(summaries: list[ClusterSummary], labels: Labels) -> dict[str, str]:
    """Each selection round as a document names it: by the years its clusters' data describe, since a
    round's id is a file key, not words a reader knows ("on 2003 data", "on 2014-2015 data")."""
    years: dict[str, set[int]] = {}
    for s in summaries:
        years.setdefault(s.selection_round, set()).update([s.reference_year] if s.reference_year else [])
    named = {}
    for round_, found in years.items():
        if not found:  # summaries recorded before they carried the year: the id is all there is
            named[round_] = round_
            continue
        if round_ == STUDY_ROUND and max(found) <= STUDY_YEAR:
            named[round_] = labels(P + "round_study")  # the 2004 study's own selection
            continue
        span = str(min(found)) if min(found) == max(found) else f"{min(found)}–{max(found)}"
        named[round_] = labels(P + "round_on").format(years=span)
    return named


def tables(ctx: dict, labels: Labels) -> dict[str, pd.DataFrame]:
    """The province's ranking (every cluster) and its totals by group, sub-sector and regency."""
    ranking = pd.DataFrame(
        [
            (labels(f"group.{g.group}"), ctx["round_names"][g.selection_round], r.rank, r.name, r.regency,
             r.growth, r.action, r.percentage, r.social_capital, r.growth_seeds, r.value_added,
             r.round_rank, r.round_size)
            for g in ctx["rankings"] for r in g.clusters
        ],
        columns=[labels("head.group"), labels(P + "head.round"), labels("head.rank"), labels("head.cluster"),
                 labels(P + "head.regency"), labels("head.growth"), labels("head.action"),
                 labels("head.percentage"), labels(P + "head.social_capital"),
                 labels(P + "head.growth_seeds"), labels(P + "head.value_added_rp"),
                 labels(P + "head.round_rank"), labels(P + "head.round_size")],
    )
    return {
        "ranking": ranking,
        "groups": _totals_frame(ctx["groups"], labels("head.group"), labels),
        "subsectors": _totals_frame(ctx["subsectors"], labels(P + "head.subsector"), labels),
        "regencies": _totals_frame(ctx["regencies"], labels(P + "head.regency"), labels),
    }
