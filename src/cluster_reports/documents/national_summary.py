"""The national roll-up: every cluster of the data set by sub-sector (in the manner of the study's
Table 2.1), by region (in the manner of its regional shares), by group and by province, with the
study's 1996 figures beside the data set's own. Made from ClusterSummary records only."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from cluster_reports.domain.scoring import TOTAL_MAX
from cluster_reports.domain.shares import adds_up, half_up, share
from cluster_reports.domain.subsectors import (
    TABLE_2_1,
    TABLE_2_1_SUBTOTAL,
    TABLE_2_1_TOTAL,
    Totals,
    by_count,
    by_subsector,
    group_by,
    most_workers,
    shares,
    totals,
)
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs import regions
from cluster_reports.inputs.programmes import ProgrammeLibrary

from . import charts, national_programmes
from .i18n import Formatter, Labels
from .province_summary import GROUP_ORDER, SOCIAL_CAPITAL_MIN, value_added_years

N = "national-summary."
TOP_SUBSECTORS = 10  # as many as Table 2.1 lists

# The study's regions, in the order it gives them, and the provinces (by the first two digits of
# their Home Affairs code) each covers today. East Indonesia: Nusa Tenggara, Maluku and Papua.
REGION_ORDER = ("java-bali", "sumatra", "sulawesi", "east-indonesia", "kalimantan")
_REGION_OF_CODE = {
    **dict.fromkeys(("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"), "sumatra"),
    **dict.fromkeys(("31", "32", "33", "34", "35", "36", "51"), "java-bali"),
    **dict.fromkeys(("52", "53", "81", "82", "91", "92", "93", "94", "95", "96"), "east-indonesia"),
    **dict.fromkeys(("61", "62", "63", "64", "65"), "kalimantan"),
    **dict.fromkeys(("71", "72", "73", "74", "75", "76"), "sulawesi"),
}
# Clusters per region in 1996 (section 2.1 of the study), of 9,800 in all. The five add up to
# 9,427 (96.2%): the study does not place the other 373 (3.8%).
STUDY_REGION_CLUSTERS = {"java-bali": 4_558, "sumatra": 1_810, "sulawesi": 1_102, "east-indonesia": 1_101,
                         "kalimantan": 856}
# The shares the study prints. It rounds loosely (1,101 of 9,800 is 11.2%, printed 11.3%), so the
# documents show the shares of its counts instead, by largest remainder over the five regions and
# the clusters it does not place: the column adds up to 100.0 and every share matches its count.
STUDY_REGION_SHARES = {"java-bali": 46.5, "sumatra": 18.5, "sulawesi": 11.3, "east-indonesia": 11.3,
                       "kalimantan": 8.7}
STUDY_CLUSTERS = 9_800
STUDY_NOT_PLACED = STUDY_CLUSTERS - sum(STUDY_REGION_CLUSTERS.values())
_study_shares = shares([*STUDY_REGION_CLUSTERS.values(), STUDY_NOT_PLACED])
STUDY_REGION_SHARE_OF_COUNTS = dict(zip(STUDY_REGION_CLUSTERS, _study_shares[:-1], strict=True))
STUDY_NOT_PLACED_SHARE = _study_shares[-1]


def region_of(summary: ClusterSummary) -> str:
    province = regions.find_province(summary.province)
    if province is None or province.code not in _REGION_OF_CODE:
        raise ValueError(f"national-summary: cluster {summary.id}: province {summary.province!r} "
                         "is not in the official list, so its region is unknown")
    return _REGION_OF_CODE[province.code]


@dataclass(frozen=True)
class RegionRow:
    totals: Totals
    share_pct: float  # of the data set's clusters
    study_clusters: int
    study_share_pct: float


@dataclass(frozen=True)
class ProvinceRow:
    totals: Totals
    region: str
    promising: int  # clusters with growth seeds and social capital of at least moderate


def _sum(items: list[Totals], key: str, label: str) -> Totals:
    """The sum of several totals (a sub-total of rows)."""
    clusters = sum(t.clusters for t in items)
    return Totals(
        key=key, label=label, clusters=clusters, firms=sum(t.firms for t in items),
        workers=sum(t.workers for t in items), workers_missing=sum(t.workers_missing for t in items),
        value_added=sum(t.value_added for t in items),
        value_added_missing=sum(t.value_added_missing for t in items),
        growth_seeds=sum(t.growth_seeds for t in items),
        growth_seeds_missing=sum(t.growth_seeds_missing for t in items),
        mean_percentage=share(sum(t.points for t in items), TOTAL_MAX * clusters),
        synthetic=sum(t.synthetic for t in items),
        points=sum(t.points for t in items),
    )


def _pct(part: int, whole: int) -> float:
    return share(part, whole)


def context(summaries: list[ClusterSummary], key: str | None, labels: Labels,
            library: ProgrammeLibrary | None = None) -> dict:
    """``library``: the programme library whose national programmes the summary presents (None:
    the shipped one)."""
    if not summaries:
        raise ValueError("national-summary: no cluster to summarise")
    lang = labels.lang
    whole = totals(summaries, "national", labels(N + "row.total"))
    region_members = group_by(summaries, region_of)
    region_totals = [totals(region_members.get(r, []), r, labels(N + f"region.{r}")) for r in REGION_ORDER]
    region_shares = shares([t.clusters for t in region_totals])
    region_rows = [
        RegionRow(t, pct, STUDY_REGION_CLUSTERS[t.key], STUDY_REGION_SHARE_OF_COUNTS[t.key])
        for t, pct in zip(region_totals, region_shares, strict=True)
    ]
    subsectors = by_subsector(summaries, lang)
    top = subsectors[:TOP_SUBSECTORS]
    top_total = _sum(top, "top", labels(N + "row.subtotal"))
    study_codes = {row.isic for row in TABLE_2_1}
    provinces = by_count(group_by(summaries, lambda s: s.province), lambda p: p)
    promising = {
        p: sum(1 for s in members if s.potentially_viable and s.social_capital >= SOCIAL_CAPITAL_MIN)
        for p, members in group_by(summaries, lambda s: s.province).items()
    }
    province_region = {s.province: region_of(s) for s in summaries}
    groups = by_count(group_by(summaries, lambda s: s.group), lambda g: labels(f"group.{g}"))
    groups.sort(key=lambda t: GROUP_ORDER.index(t.key) if t.key in GROUP_ORDER else len(GROUP_ORDER))
    return {
        "whole": whole,
        "regions": region_rows,
        "region_shares_add_up": adds_up(region_shares),
        "value_added_years": value_added_years(summaries),  # more than one: Rupiah of several years
        "study_region_total": sum(STUDY_REGION_CLUSTERS.values()),
        "study_region_share": half_up(100 - STUDY_NOT_PLACED_SHARE, 1),  # 96.2: the five regions'
        "subsectors": subsectors,
        "top": top,
        "top_total": top_total,
        "top_shares": {
            "clusters": _pct(top_total.clusters, whole.clusters),
            "firms": _pct(top_total.firms, whole.firms),
            "workers": _pct(top_total.workers, whole.workers),
            "value_added": _pct(top_total.value_added, whole.value_added),
        },
        "top_limit": TOP_SUBSECTORS,
        "most_workers": most_workers(subsectors),
        "in_both": [t for t in top if t.key in study_codes],
        "study": [
            {"row": row, "name": row.name_en if lang == "en" else row.name_id} for row in TABLE_2_1
        ],
        "study_subtotal": TABLE_2_1_SUBTOTAL,
        "study_total": TABLE_2_1_TOTAL,
        "study_top_shares": {
            "clusters": _pct(TABLE_2_1_SUBTOTAL.clusters, TABLE_2_1_TOTAL.clusters),
            "firms": _pct(TABLE_2_1_SUBTOTAL.enterprises, TABLE_2_1_TOTAL.enterprises),
            "workers": _pct(TABLE_2_1_SUBTOTAL.workers, TABLE_2_1_TOTAL.workers),
            "value_added": _pct(TABLE_2_1_SUBTOTAL.value_added, TABLE_2_1_TOTAL.value_added),
        },
        "provinces": [
            ProvinceRow(t, labels(N + f"region.{province_region[t.key]}"), promising[t.key])
            for t in provinces
        ],
        "province_shares": (province_shares := shares([t.clusters for t in provinces])),
        "province_shares_add_up": adds_up(province_shares),
        "groups": groups,
        "group_shares": (group_shares := shares([t.clusters for t in groups])),
        "group_shares_add_up": adds_up(group_shares),
        "social_capital_min": SOCIAL_CAPITAL_MIN,
        # The study's national action programmes (Table 5.1) and the plans drawing on them.
        "np": national_programmes.chapter(summaries, library, labels, N),
    }


def _paired_bars(rows: list[dict], category: str, series: str, value: str, value_title: str) -> alt.Chart:
    """Bars of two series side by side per category (the data set beside the study)."""
    order = list(dict.fromkeys(r[category] for r in rows))
    names = list(dict.fromkeys(r[series] for r in rows))
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        yOffset=alt.YOffset(f"{series}:N", sort=names),
        x=alt.X(f"{value}:Q", title=value_title),
    )
    bars = base.mark_bar(height=12).encode(
        color=alt.Color(f"{series}:N", sort=names, title=None,
                        scale=alt.Scale(domain=names, range=[charts.ACCENT, charts.MUTED]),
                        legend=alt.Legend(orient="bottom")),
    )
    text = base.mark_text(align="left", dx=4, fontSize=10).encode(text=alt.Text(f"{value}:Q", format=",.1f"))
    return charts.style((bars + text).properties(width=charts.WIDTH, height=max(80, 40 * len(order))))


def chart_specs(ctx: dict, labels: Labels, fmt: Formatter) -> dict[str, tuple[alt.Chart, str]]:
    here, then = labels(N + "chart.data_set"), labels(N + "chart.study")
    region_rows = []
    for r in ctx["regions"]:
        region_rows.append({"region": r.totals.label, "source": here, "share": r.share_pct})
        region_rows.append({"region": r.totals.label, "source": then, "share": r.study_share_pct})
    region_alt = f"{labels(N + 'chart.region_share')}: " + "; ".join(
        f"{r.totals.label} {fmt.percent(r.share_pct)} ({then}: {fmt.percent(r.study_share_pct)})"
        for r in ctx["regions"]
    )
    sub_rows = [{"label": f"{t.key} {t.label}", "workers": t.workers} for t in ctx["top"]]
    sub_alt = f"{labels(N + 'chart.workers')}: " + "; ".join(
        f"{r['label']} {fmt.number(r['workers'])}" for r in sub_rows
    )
    province_rows = [{"label": p.totals.label, "clusters": p.totals.clusters} for p in ctx["provinces"]]
    province_alt = f"{labels(N + 'chart.clusters')}: " + "; ".join(
        f"{r['label']} {fmt.number(r['clusters'])}" for r in province_rows
    )
    return {
        "regions": (_paired_bars(region_rows, "region", "source", "share", labels(N + "chart.region_share")),
                    region_alt),
        "subsectors": (charts.bar(sub_rows, "label", "workers", labels(N + "chart.workers")), sub_alt),
        "provinces": (charts.bar(province_rows, "label", "clusters", labels(N + "chart.clusters")),
                      province_alt),
    }


def tables(ctx: dict, labels: Labels) -> dict[str, pd.DataFrame]:
    """Sub-sectors, regions (with the study's shares) and provinces, for notebooks."""
    heads = [labels(N + "head.clusters"), labels("head.firms"), labels("head.workers"),
             labels(N + "head.value_added_rp")]

    def rows(items: list[Totals]) -> list[tuple]:
        return [(t.label, t.clusters, t.firms, t.workers, t.value_added) for t in items]

    subsectors = pd.DataFrame(
        [(t.key, *row) for t, row in zip(ctx["subsectors"], rows(ctx["subsectors"]), strict=True)],
        columns=["ISIC", labels(N + "head.subsector"), *heads],
    )
    region_frame = pd.DataFrame(
        [(*rows([r.totals])[0], r.share_pct, r.study_clusters, r.study_share_pct) for r in ctx["regions"]],
        columns=[labels(N + "head.region"), *heads, labels(N + "head.share"),
                 labels(N + "head.study_clusters"), labels(N + "head.study_share")],
    )
    provinces = pd.DataFrame(
        [(*rows([p.totals])[0], p.region, p.totals.mean_percentage, p.promising) for p in ctx["provinces"]],
        columns=[labels(N + "head.province"), *heads, labels(N + "head.region"),
                 labels(N + "head.mean_score"), labels(N + "head.promising")],
    )
    return {"subsectors": subsectors, "regions": region_frame, "provinces": provinces}
