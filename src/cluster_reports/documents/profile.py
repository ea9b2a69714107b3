"""What the profiling report presents: plain data computed from a cluster's params and its peers.

The template decides wording and layout; this module decides the numbers. Charts are described
here (data, translated labels, alt text) and rendered once per language by ``compose``.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from cluster_reports.domain import channels as domain_channels
from cluster_reports.domain import findings as domain_findings
from cluster_reports.domain import firms, scoring
from cluster_reports.domain.extremes import extremes
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.schema import ClusterParams
from cluster_reports.inputs.schema.cluster import size_class
from cluster_reports.inputs.schema.library import LibraryProgramme

from . import channels, charts, long_lists, profile_history, provenance
from .i18n import Formatter, Labels, capfirst

CONDITIONS = ("demand", "factor", "firm_strategy", "related_supporting", "social_capital")


@dataclass(frozen=True)
class ConditionRow:
    key: str
    label: str
    score: int
    word: str
    note: str


@dataclass(frozen=True)
class PeerRow:
    cluster_id: str
    name: str
    growth: int
    action: int
    percentage: float
    rank: int
    selected: bool
    is_self: bool


def assessment_rows(params: ClusterParams, labels: Labels) -> list[ConditionRow]:
    rows = []
    for key in CONDITIONS:
        item = getattr(params.assessment, key)
        rows.append(
            ConditionRow(
                key=key,
                label=labels(f"condition.{key}"),
                score=item.score,
                word=labels(f"score_word.{item.score}"),
                note=item.note.get(labels.lang),
            )
        )
    return rows


def condition_series(names: list[str], labels: Labels) -> str:
    """Condition names in a sentence: 'A and B', 'A, B and C'. Where a name holds a comma or an
    'and' itself, two names are joined by 'as well as' / 'serta' ('firm strategy, structure and
    rivalry as well as social capital') and more by semicolons (PUEBI), so that tied conditions read
    as the conditions they are. The profile and the strategy both use it."""
    names = [n.lower() for n in names]
    # A name that holds a comma or the conjunction itself ("related and supporting industries") would
    # blur where one condition ends.
    conjunction = f" {labels('list.and')} "
    if len(names) < 2 or not any("," in n or conjunction in n for n in names):
        return channels.enumerate_(names, labels)
    if len(names) == 2:  # 'strategi, struktur, dan persaingan usaha serta modal sosial'
        return f"{names[0]} {labels('list.as_well_as')} {names[1]}"
    return f"{'; '.join(names[:-1])}; {labels('list.and')} {names[-1]}"


def condition_extremes(rows: list, labels: Labels) -> dict:
    """The strongest and the weakest of the five conditions and the sentences that name them: one
    rule and one wording for the profile and the strategy. Rows have ``label``, ``score``, ``word``.

    A tie is named, never broken: tied conditions are named together, and when all five share a
    score the sentence says so and names no strongest or weakest (so no condition is both)."""
    cond = extremes(rows, lambda r: r.score)
    strongest = condition_series([r.label for r in cond.strongest], labels)
    weakest = condition_series([r.label for r in cond.weakest], labels)
    if cond.all_equal:
        sentence = labels("extremes.all_equal").format(score=cond.high, word=cond.strongest[0].word)
    else:
        def named(side: str, names: str, items: tuple, score: float) -> str:
            form = "one" if len(items) == 1 else "tied"
            return labels(f"extremes.{side}.{form}").format(names=names, score=score)

        sentence = " ".join((named("strongest", strongest, cond.strongest, cond.high),
                             named("weakest", weakest, cond.weakest, cond.low)))
    return {
        "cond": cond,  # the strongest and the weakest conditions, ties kept (domain.extremes)
        "cond_strongest": strongest,
        "cond_weakest": weakest,
        "cond_sentence": sentence,
    }


STUDY_ROUND, STUDY_YEAR = "jica-2004", 2004  # the 2004 study's selection of its ten sample clusters
# A round-group larger than this shows its leaders and the cluster itself, not every member.
PEERS_SHOWN = 10


def peer_rows(params: ClusterParams, peers: list[ClusterSummary], lang: str) -> tuple[list[PeerRow], int]:
    """The cluster's group in its selection round, ranked by the selection method, and how many
    clusters that is. The cluster itself is always in; of a large round only the first
    ``PEERS_SHOWN`` and the cluster are shown (a round is what one forum scores together, but a
    province may have a hundred clusters in a group)."""
    names = {p.id: getattr(p, f"name_{lang}") for p in peers}
    members = {
        p.id: scoring.Entry(p.id, p.group, p.growth, p.action)
        for p in peers
        if p.group == params.group.value and p.selection_round == params.selection_round
    }
    members[params.id] = scoring.entry(params)
    names[params.id] = params.name.get(lang)
    ranked = scoring.rank(members.values())
    rows = sorted(
        (
            PeerRow(
                cluster_id=cid,
                name=names[cid],
                growth=s.growth,
                action=s.action,
                percentage=float(s.percentage),
                rank=s.rank,
                selected=s.selected,
                is_self=cid == params.id,
            )
            for cid, s in ranked.items()
        ),
        key=lambda r: (r.rank, r.name),
    )
    shown = [r for n, r in enumerate(rows) if n < PEERS_SHOWN or r.is_self]
    return shown, len(rows)


def field_label(path: str, labels: Labels) -> str:
    """A params path in the document's words: 'constraints.1' -> 'Constraints: item 2'."""
    return provenance.field_label(path, labels, heads=("section.", "profile.section."),
                                  parts=("profile.field.",))


def catalogue(params: ClusterParams) -> provenance.Catalogue:
    return provenance.Catalogue(params.sources)


# Params that only the facilitator guideline shows (its contact list and directory of services):
# no row of the profile's data sources.
GUIDELINE_ONLY = ("stakeholders.contact", "support_services")


def source_rows(params: ClusterParams, labels: Labels,
                cat: provenance.Catalogue) -> list[provenance.SourceRow]:
    return [provenance.source_row(field_label(e.field, labels), e, labels, cat)
            for e in provenance.given(params, params.provenance)
            if not any(e.field == f or e.field.startswith(f + ".") for f in GUIDELINE_ONLY)]


def is_illustrative(params: ClusterParams, path: str, cat: provenance.Catalogue | None = None) -> bool:
    return provenance.is_illustrative(params.provenance, path, cat or catalogue(params))


def document_sources(params: ClusterParams, labels: Labels,
                     cat: provenance.Catalogue | None = None) -> provenance.DocumentSources:
    entries = tuple(provenance.given(params, params.provenance))
    return provenance.DocumentSources({"cluster": entries}, entries, cat or catalogue(params), labels)


def context(params: ClusterParams, peers: list[ClusterSummary], labels: Labels,
            library: dict[str, LibraryProgramme] | None = None) -> dict:
    lang = labels.lang
    cat = catalogue(params)
    structure = firms.structure(params)
    peer_table, peers_total = peer_rows(params, peers, lang)
    me = next(r for r in peer_table if r.is_self)
    conditions = assessment_rows(params, labels)
    leaders = [r for r in peer_table if r.rank == 1]
    main_product = next((p for p in params.products if p.main), params.products[0])
    sales = structure.total_sales
    markets = channels.market_rows(params, labels)
    main_markets = domain_channels.leaders(markets, lambda r: r.share_pct)
    return {
        "c": params,
        "province": params.location.province_record,
        "regency": params.location.regency_record,
        "fs": structure,
        "sales_reference": firms.SALES_REFERENCE,
        "main_product": main_product,
        "conditions": conditions,
        **condition_extremes(conditions, labels),
        "peers": peer_table,
        "peers_total": peers_total,
        "leaders": leaders,  # the first rank: one cluster, or those tied for it
        # The study's own selection of pilot clusters; any other round only uses its method, and its
        # top cluster is a candidate for a LIAP, not a pilot of the 2004 study.
        "study_round": params.selection.round == STUDY_ROUND and params.reference_year <= STUDY_YEAR,
        "leaders_phrase": channels.enumerate_([r.name for r in leaders], labels),
        "peers_shown_limit": PEERS_SHOWN,
        "me": me,
        "sources": source_rows(params, labels, cat),
        "illustrative": lambda path: is_illustrative(params, path, cat),
        **document_sources(params, labels, cat).context(),
        "usd": lambda rupiah: rupiah / params.currency.usd_rate,
        "sales_per_firm": (sales / structure.total_firms) if sales and structure.total_firms else None,
        "markets": markets,  # one row per channel, its rows' shares summed
        "main_markets": main_markets,  # the main channel, or the channels tied for it
        "main_markets_phrase": channels.enumerate_([r.phrase for r in main_markets], labels),
        **growth_seed_list(structure, labels),
        **profile_history.context(params, labels),  # the history and production-process chapters
        **prices_volumes(params, cat),
        **firm_list(params),
        **findings_context(params, library, labels),
    }


def growth_seed_list(structure: firms.FirmStructure, labels: Labels) -> dict:
    """The willing firms as the text names them, whether their table goes to the annex, and who leads
    them where the table records it."""
    viable = structure.potentially_viable or []
    return {
        "seeds_long": long_lists.is_long(viable),
        "seeds_named": long_lists.named([f.name for f in viable], labels),
        "seeds_women": firms.women_led_among(viable) if viable else None,
        # The firms above the sales line that are also willing: a sentence that counts both says
        # how many are in both, so that it agrees with the willing firms' table.
        "willing_above": sum(1 for f in viable if f in (structure.above_reference or [])),
    }


# --- Prices and volumes, the firm list annex, findings and recommendations (issue 13) ---

@dataclass(frozen=True)
class PriceRow:
    name: str | object  # the product's Text
    price: object | None  # UnitPrice
    usd: float | None  # the unit price in US dollars at the cluster's rate
    output: object | None  # Volume
    capacity: object | None  # Volume
    use_pct: float | None  # output / capacity, computed; None unless both are given
    main: bool


PRICE_PARTS = ("price", "output", "capacity")


def prices_volumes(params: ClusterParams, cat: provenance.Catalogue) -> dict:
    """The products with a price, an output or a capacity recorded, and whether any of those values
    is illustrative."""
    rows, paths = [], []
    main = next((p for p in params.products if p.main), params.products[0])
    for n, p in enumerate(params.products):
        if p.price is None and p.output is None and p.capacity is None:
            continue
        use = (p.output.quantity / p.capacity.quantity * 100) if p.output and p.capacity else None
        rows.append(PriceRow(p.name, p.price, p.price.amount / params.currency.usd_rate if p.price else None,
                             p.output, p.capacity, use, p is main))
        paths += [f"products.{n}.{part}" for part in PRICE_PARTS if getattr(p, part) is not None]
    return {
        "price_rows": rows,
        "prices_illustrative": any(is_illustrative(params, path, cat) for path in paths),
        "price_paths": paths,  # for the note that names the real sources of the chapter
    }


@dataclass(frozen=True)
class FirmListRow:
    number: int
    name: str
    workers: int
    size: str  # the study's size class, from the workers
    established: int | None
    annual_sales: int
    cooperative_member: bool
    growth_seed: bool
    women_led: bool | None


def firm_list(params: ClusterParams) -> dict:
    """The firm table as the annex lists it: largest firms first (the cluster's hierarchy, as the
    study describes it), equal sizes by name; numbered."""
    table = params.firms.table or []
    ordered = sorted(table, key=lambda f: (-f.workers, f.name.casefold()))
    rows = [FirmListRow(n, f.name, f.workers, size_class(f.workers), f.established, f.annual_sales,
                        f.cooperative_member, f.willing_to_improve, f.women_led)
            for n, f in enumerate(ordered, start=1)]
    return {
        "firm_list": rows,
        "firm_list_women": any(f.women_led is not None for f in table),
        "firm_list_established": sum(1 for f in table if f.established is not None),
    }


def programme_label(p: LibraryProgramme, labels: Labels) -> str:
    """'Enhancing social capital (Table 5.1 no. 4)' / a pilot type '(programme type of Box 3.1)'."""
    title = p.title.get(labels.lang)
    if p.source == "national" and p.number is not None:
        return labels("profile.findings.library.national").format(title=title, number=p.number)
    return labels("profile.findings.library.pilot").format(title=title)


def findings_context(params: ClusterParams, library: dict[str, LibraryProgramme] | None,
                     labels: Labels) -> dict:
    found = domain_findings.findings(params, library)

    def what(f: domain_findings.Finding) -> str:
        if f.kind == "condition":
            return labels("profile.findings.row.condition").format(
                condition=labels(f"condition.{f.key}"), score=f.score, word=labels(f"score_word.{f.score}"))
        return labels("profile.findings.row.constraint").format(
            category=labels(f"profile.findings.category.{f.key}"),
            count=labels.count("profile.count.constraint", f.count))

    rows = [(what(f), [programme_label(p, labels) for p in f.programmes], f) for f in found.rows]
    weak = [labels(f"condition.{f.key}") for f in found.conditions]
    categories = [labels(f"profile.findings.category.{f.key}") for f in found.constraints]
    return {
        "findings": found,
        "finding_rows": rows,
        "findings_library": library is not None and bool(library),
        "weak_phrase": condition_series(weak, labels) if weak else "",
        "constraint_categories_phrase": channels.enumerate_(categories, labels) if categories else "",
        # what no programme answers, as a sentence names it (conditions hold commas: semicolons then)
        "unanswered_phrase": condition_series(
            [labels(f"condition.{f.key}") if f.kind == "condition"
             else labels(f"profile.findings.category.{f.key}") for f in found.unanswered], labels),
        "recommended_programmes": [programme_label(p, labels) for p in found.programmes],
        "leading_programmes": channels.enumerate_(
            [programme_label(p, labels) for p in found.leading], labels),
        "leading_count": len(found.leading),
    }


def chart_specs(ctx: dict, labels: Labels, fmt: Formatter) -> dict[str, tuple[alt.Chart, str]]:
    """The profile's charts with their alt texts, keyed by the names the template uses."""
    lang = labels.lang
    params: ClusterParams = ctx["c"]
    name = params.name.get(lang)
    sizes = [
        {"class": labels(f"size.{row.size}"), "firms": row.firms} for row in ctx["fs"].rows
    ]
    size_alt = (
        f"{labels('chart.firms')}, {name}: "
        + "; ".join(f"{r['class']} {fmt.number(r['firms'])}" for r in sizes)
    )
    conditions = [{"condition": r.label, "score": r.score} for r in ctx["conditions"]]
    cond_alt = (
        f"{labels('section.assessment')}, {name}: "
        + "; ".join(f"{r['condition']} {r['score']}" for r in conditions)
    )
    peers = [{"cluster": r.name, "pct": r.percentage} for r in ctx["peers"]]
    peer_alt = (
        f"{labels('chart.selection')}, {labels('group.' + params.group.value)}: "
        + "; ".join(f"{r['cluster']} {fmt.percent(r['pct'])}" for r in peers)
    )
    specs = {
        "firm-sizes": (charts.bar(sizes, "class", "firms", labels("chart.firms")), size_alt),
        "conditions": (
            charts.bar(conditions, "condition", "score", labels("chart.score"), domain=(0, 5)),
            cond_alt,
        ),
        "selection": (
            charts.bar(peers, "cluster", "pct", labels("chart.selection"), highlight=name,
                       value_format=",.1f", domain=(0, 100)),
            peer_alt,
        ),
    }
    if params.markets:
        markets = [
            {"channel": m.label, "share": m.share_shown} for m in ctx["markets"]
        ]
        market_alt = f"{labels('chart.share')}: " + "; ".join(
            f"{r['channel']} {fmt.percent(r['share'], 0)}" for r in markets
        )
        specs["markets"] = (
            charts.bar(markets, "channel", "share", labels("chart.share"), value_format=",.0f",
                       domain=(0, 100)),
            market_alt,
        )
    return specs


def tables(ctx: dict, labels: Labels) -> dict[str, pd.DataFrame]:
    """The key tables of the profile, for notebooks, with the document's labels as column names."""
    sizes = pd.DataFrame(
        [(labels(f"size.{r.size}"), r.firms, r.share_pct) for r in ctx["fs"].rows],
        columns=[labels("head.size_class"), labels("head.firms"), labels("head.share")],
    )
    conditions = pd.DataFrame(
        [(r.label, r.score, r.note) for r in ctx["conditions"]],
        columns=[labels("head.condition"), labels("head.score"), labels("head.assessment")],
    )
    selection = pd.DataFrame(
        [(r.name, r.growth, r.action, r.percentage, r.rank) for r in ctx["peers"]],
        columns=[labels("head.cluster"), labels("head.growth"), labels("head.action"),
                 labels("head.percentage"), labels("head.rank")],
    )
    markets = pd.DataFrame(  # one row per channel, as the report's table (rows of a channel summed)
        [(r.label, capfirst(r.destination.get(labels.lang)), r.share_shown) for r in ctx["markets"]],
        columns=[labels("head.channel"), labels("head.destination"), labels("head.share")],
    )
    lang = labels.lang
    prices = pd.DataFrame(  # capacity use in percent, computed; None where output or capacity is missing
        [(r.name.get(lang), r.price.amount if r.price else None, r.usd,
          r.output.quantity if r.output else None, r.capacity.quantity if r.capacity else None, r.use_pct)
         for r in ctx["price_rows"]],
        columns=[labels("head.product"), labels("profile.prices.head.price"),
                 labels("profile.prices.head.usd"), labels("profile.prices.head.output"),
                 labels("profile.prices.head.capacity"), labels("profile.prices.head.use")],
    )
    firm_list = pd.DataFrame(
        [(f.number, f.name, f.workers, labels(f"profile.firm_list.size.{f.size}"), f.established,
          f.annual_sales, f.cooperative_member, f.growth_seed) for f in ctx["firm_list"]],
        columns=[labels("profile.firm_list.head.number"), labels("head.firm"), labels("head.workers"),
                 labels("head.size_class"), labels("profile.firm_list.head.established"),
                 labels("head.annual_sales"), labels("head.cooperative_member"),
                 labels("profile.firm_list.head.growth_seed")],
    )
    return {"firm_sizes": sizes, "conditions": conditions, "selection": selection, "markets": markets,
            "prices": prices, "firm_list": firm_list}
