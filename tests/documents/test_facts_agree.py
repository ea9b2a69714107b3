"""One cluster, one set of facts: every document of a sample cluster, in both languages, gives the
same number of firms, workers, annual sales, condition scores, selection score, growth seeds,
stakeholders, programmes, budget total and success cases, and these are what the params files give
(read here as plain YAML, not through the code under test). And no document contradicts another on
what exists: where the cluster has a plan, no document says it has none; the strategy does not aim
at founding a body (a cooperative, a consortium) that the profile records.

The figures are read from the tables both writers print (the document tree), each cell found by its
row label and column header as the label catalogue words them, so that rewording the prose or the
labels does not break the checks and a wrong figure in any one document does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest
from rendered_set import LANGS, Rendered, by_cluster, cells, rendered_set_fixture  # noqa: F401

from cluster_reports.compose import tree as d

CONDITIONS = ("demand", "factor", "firm_strategy", "related_supporting", "social_capital")


@dataclass(frozen=True)
class Seen:
    """One figure as one document shows it."""

    fact: str
    document: str
    where: str
    value: float | int

    def __str__(self) -> str:
        return f"{self.document} ({self.where}): {self.value:g}"


def number(text: str, lang: str) -> float | None:
    """The first number of a cell, read with the separators of the document's language."""
    found = re.search(r"-?\d[\d.,]*", text)
    if not found:
        return None
    thousands, decimal = (".", ",") if lang == "id" else (",", ".")
    digits = found.group().rstrip(".,").replace(thousands, "").replace(decimal, ".")
    return float(digits)


def column(table: d.Table, header: str) -> int:
    heads = [" ".join(d.plain(cell).split()) for cell in table.header]
    assert header in heads, f"{table.id}: no column {header!r} in {heads}"
    return heads.index(header)


def row(table: d.Table, label: str) -> list[str] | None:
    return next((cells(r) for r in table.rows if cells(r)[0] == label), None)


def body_rows(table: d.Table, *totals: str) -> list[list[str]]:
    """The table's rows without its total rows and without the blank rows of an empty form."""
    return [c for c in map(cells, table.rows) if c[0] not in totals and c[0].strip("_ ")]


def seen_in(r: Rendered) -> list[Seen]:
    """Every shared figure the document shows, with where it shows it."""
    out: list[Seen] = []

    def add(fact: str, where: str, text: str | None) -> None:
        value = number(text, r.lang) if text is not None else None
        assert value is not None or text is None, f"{r.name}: {fact} in {where} is not a number: {text!r}"
        if value is not None:
            out.append(Seen(fact, r.name, where, value))

    def cell(table_id: str, label: str, header: str) -> str | None:
        table = r.table(table_id)
        found = row(table, label) if table else None
        return found[column(table, header)] if found else None

    tables = r.tables()
    if r.kind == "profile":
        basic = "tbl-basic-data"
        value = r.t("head.value")
        add("firms", f"{basic}, {r.t('profile.row.firms')}", cell(basic, r.t("profile.row.firms"), value))
        add("firms", f"tbl-firm-sizes, {r.t('size.total')}",
            cell("tbl-firm-sizes", r.t("size.total"), r.t("head.firms")))
        add("workers", f"{basic}, {r.t('section.workers')}", cell(basic, r.t("section.workers"), value))
        add("annual sales", f"{basic}, {r.t('section.annual_sales')}",
            cell(basic, r.t("section.annual_sales"), value))
        for key in CONDITIONS:
            add(f"score: {key}", "tbl-conditions",
                cell("tbl-conditions", r.t(f"condition.{key}"), r.t("head.score")))
        selection = tables["tbl-selection"]
        own = [cells(x) for x in selection.rows if x[0] and all(run.bold for run in x[0] if run.text.strip())]
        assert len(own) == 1, f"{r.name}: tbl-selection marks {len(own)} rows as this cluster's"
        add("selection score (%)", "tbl-selection, this cluster's row",
            own[0][column(selection, r.t("head.percentage"))])
        if "tbl-growth-seeds" in tables:
            out.append(Seen("growth seeds", r.name, "tbl-growth-seeds, rows",
                            len(body_rows(tables["tbl-growth-seeds"]))))
        if "tbl-stakeholders" in tables:
            out.append(Seen("stakeholders", r.name, "tbl-stakeholders, rows",
                            len(body_rows(tables["tbl-stakeholders"]))))
    elif r.kind == "strategy":
        for key in CONDITIONS:
            add(f"score: {key}", "tbl-conditions",
                cell("tbl-conditions", r.t(f"condition.{key}"), r.t("head.score")))
        out.append(Seen("growth seeds", r.name, "tbl-beneficiaries, rows",
                        len(body_rows(tables["tbl-beneficiaries"], r.t("size.total")))))
    elif r.kind == "action-plan":
        grand = r.t("plan.row.grand_total")
        programmes = tables["tbl-programmes"]
        out.append(Seen("programmes", r.name, "tbl-programmes, rows", len(body_rows(programmes))))
        amount = r.t("plan.head.amount")
        add("budget total", f"tbl-by-programme, {grand}", cell("tbl-by-programme", grand, amount))
        add("budget total", f"tbl-by-funding, {grand}", cell("tbl-by-funding", grand, amount))
        lines = [number(c[column(programmes, amount)], r.lang) for c in body_rows(programmes)]
        if all(x is not None for x in lines):
            out.append(Seen("budget total", r.name, "tbl-programmes, sum of the programmes", sum(lines)))
    elif r.kind == "monitoring":
        total = r.t("monitoring.row.total")
        completion = tables["tbl-completion"]
        out.append(Seen("programmes", r.name, "tbl-completion, rows", len(body_rows(completion, total))))
        add("budget total", f"tbl-completion, {total}",
            cell("tbl-completion", total, r.t("monitoring.head.planned")))
        for key in CONDITIONS:
            add(f"score: {key}", "tbl-conditions, baseline",
                cell("tbl-conditions", r.t(f"condition.{key}"), r.t("monitoring.head.baseline_score")))
        if "tbl-success" in tables:
            out.append(Seen("success cases", r.name, "tbl-success, rows",
                            len(body_rows(tables["tbl-success"]))))
        if "tbl-success-women" in tables:
            split = tables["tbl-success-women"]
            at = column(split, r.t("people.monitoring.head.success"))
            out.append(Seen("success cases", r.name, "tbl-success-women, sum",
                            sum(number(c[at], r.lang) or 0 for c in body_rows(split))))
        if "tbl-supported" in tables and "tbl-success" in tables:
            # A firm-by-firm count exists only where the report names its success cases.
            supported = tables["tbl-supported"]
            at = column(supported, r.t("long_list.monitoring.head.success"))
            yes = r.t("head.answer_yes")
            out.append(Seen("success cases", r.name, f"tbl-supported, '{yes}' rows",
                            sum(c[at] == yes for c in body_rows(supported))))
    elif r.kind == "guideline":
        out.append(Seen("stakeholders", r.name, "tbl-stakeholders, rows",
                        len(body_rows(tables["tbl-stakeholders"]))))
        if r.sidecar("plan") is not None:
            progress = tables["tbl-progress-programmes"]
            out.append(Seen("programmes", r.name, "tbl-progress-programmes, rows", len(body_rows(progress))))
            at = column(progress, r.t("guideline.head.budget_planned"))
            lines = [number(c[at], r.lang) for c in body_rows(progress)]
            if all(x is not None for x in lines):
                out.append(Seen("budget total", r.name, "tbl-progress-programmes, sum", sum(lines)))
    return out


def half_up(value: float, places: int) -> float:
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def given(r: Rendered) -> dict[str, float | int]:
    """What the cluster's params files give for each shared figure (where they give it)."""
    raw = r.raw
    facts: dict[str, float | int] = {"firms": sum(raw["firms"]["by_size"].values())}
    for key in ("workers", "annual_sales"):
        if raw.get(key) is not None:
            facts[key.replace("_", " ")] = raw[key]
    for key in CONDITIONS:
        facts[f"score: {key}"] = raw["assessment"][key]["score"]
    selection = raw["selection"]
    facts["selection score (%)"] = half_up(
        (selection["growth_opportunity"] + selection["action_capacity"]) / 90 * 100, 1)
    facts["stakeholders"] = len(raw.get("stakeholders") or [])
    table = raw["firms"].get("table")
    if table:
        facts["growth seeds"] = sum(bool(f.get("willing_to_improve")) for f in table)
    plan = r.sidecar("plan")
    if plan is not None:
        facts["programmes"] = len(plan["programmes"])
        facts["budget total"] = sum(
            line["quantity"] * line.get("times", 1) * line["rate"]
            for programme in plan["programmes"] for line in programme.get("budget") or []
        )
    monitoring = r.sidecar("monitoring")
    if monitoring is not None:
        counted = next((i["actuals"] for i in monitoring.get("indicators") or []
                        if i["indicator"] == "success-cases"), None)
        if counted:
            latest = [p["id"] for p in monitoring["periods"] if p["id"] in counted][-1]
            facts["success cases"] = counted[latest]
    return facts


@pytest.fixture(scope="module")
def clusters(rendered_set) -> dict[str, list[Rendered]]:
    return by_cluster(rendered_set)


def test_the_set_covers_every_cluster_kind_and_language(rendered_set, sample):
    import sample_facts

    assert {r.cluster_id for r in rendered_set} == {item.params.id for item in sample}
    assert len(by_cluster(rendered_set)) == sample_facts.count()
    for cluster, documents in by_cluster(rendered_set).items():
        kinds = {r.kind for r in documents}
        assert {"profile", "guideline"} <= kinds, cluster
        assert all({(k, lang) for lang in LANGS} <= {(r.kind, r.lang) for r in documents} for k in kinds)
        if cluster in sample_facts.with_sidecar("plan"):
            assert "action-plan" in kinds, cluster


def test_every_document_of_a_cluster_gives_the_same_figures_as_its_params(clusters):
    problems = []
    for cluster, documents in clusters.items():
        seen: dict[str, list[Seen]] = {}
        for r in documents:
            for item in seen_in(r):
                seen.setdefault(item.fact, []).append(item)
        truth = given(documents[0])
        # Every figure the params give is shown somewhere, and the action plan's and the monitoring
        # report's figures are found where those documents exist.
        for fact in truth:
            # A report with no success case has no table of them (its prose says there are none).
            if fact not in seen and not (fact == "success cases" and truth[fact] == 0):
                problems.append(f"{cluster}: no document shows {fact} (params: {truth[fact]:g})")
        for fact, items in sorted(seen.items()):
            values = {item.value for item in items}
            expected = truth.get(fact)
            if len(values) > 1 or (expected is not None and values != {expected}):
                listed = "\n    ".join(map(str, items))
                problems.append(f"{cluster}: {fact} differs (params: "
                                f"{'not given' if expected is None else f'{expected:g}'}):\n    {listed}")
    assert not problems, "\n".join(problems)


def test_each_figure_is_found_in_both_languages(clusters):
    """A figure one language shows and the other does not is a table that lost a row."""
    problems = []
    for cluster, documents in clusters.items():
        where = {lang: {(r.kind, s.fact, s.where) for r in documents if r.lang == lang for s in seen_in(r)}
                 for lang in LANGS}
        # Table ids are the same in both languages; the row label in `where` is not, so compare
        # (kind, fact, table id).
        keys = {lang: {(k, f, w.split(",")[0]) for k, f, w in found} for lang, found in where.items()}
        for missing in keys["id"] ^ keys["en"]:
            problems.append(f"{cluster}: {missing} is shown in only one language")
    assert not problems, "\n".join(problems)


def _squeezed(rows) -> list[list[str]]:
    # Line breaks are a space in HTML and nothing in Word's text: compare without whitespace.
    return [["".join(cell.split()) for cell in row] for row in rows]


def test_both_files_print_the_tables_the_figures_are_read_from(rendered_set):
    """The figures above are read from the document tree; the HTML page and the Word file print
    the same tables, cell for cell."""
    problems = []
    for r in rendered_set:
        html, word = r.html_tables(), [_squeezed(t) for t in r.docx_tables()]
        for table_id, table in r.tables().items():
            expected = _squeezed([[d.plain(c) for c in table.header], *(map(cells, table.rows))])
            if _squeezed(html.get(table_id, [])) != expected:
                problems.append(f"{r.name}: table {table_id} differs from the document's table")
            if expected not in word:
                problems.append(f"{r.cluster_id}/{r.docx.name}: no table equal to {table_id}")
    assert not problems, "\n".join(problems)


# --- what exists -----------------------------------------------------------------------------------

# A sentence that says a document of the cluster does not exist: the negation, then within a few
# words the document's name (the label catalogue's name, or its plain noun).
_NO = {
    "en": r"\b(?:no|has no|have no|without(?: an?)?|not yet (?:have|has)(?: an?)?"
          r"|yet to (?:make|prepare)(?: an?| its)?)\s+",
    "id": r"\b(?:belum|tidak|tanpa)\s+(?:memiliki\s+|mempunyai\s+|ada\s+|punya\s+|menyusun\s+)?",
}
_NOUNS = {
    ("en", "action-plan"): r"(?:local industry )?action plan|LIAP",
    ("id", "action-plan"): r"rencana aksi(?: industri daerah)?|LIAP",
    ("en", "strategy"): r"(?:cluster )?development strategy|strategy",
    ("id", "strategy"): r"strategi(?: pengembangan sentra)?",
}


def _missing(lang: str, kind: str) -> re.Pattern:
    return re.compile(_NO[lang] + rf"(?:{_NOUNS[(lang, kind)]})\b", re.IGNORECASE)


def test_the_missing_plan_wording_is_recognised(clusters):
    """Where a cluster truly has no plan, its guideline says so, and the pattern finds it: so the
    check below would find the same words in a cluster that has one."""
    without = [r for documents in clusters.values() if "action-plan" not in {x.kind for x in documents}
               for r in documents if r.kind == "guideline"]
    assert without
    for r in without:
        assert _missing(r.lang, "action-plan").search(r.html_text), r.name


def test_no_document_says_an_existing_plan_or_strategy_is_missing(clusters):
    problems = []
    for documents in clusters.values():
        present = {r.kind for r in documents}
        for r in documents:
            for kind in present & {"action-plan", "strategy"}:
                for found in _missing(r.lang, kind).finditer(r.html_text):
                    snippet = r.html_text[max(0, found.start() - 60):found.end() + 60]
                    problems.append(f"{r.name}: says the cluster has no {kind}, which exists: "
                                    f"{found.group()!r} in ...{snippet}...")
    assert not problems, "\n".join(problems)


# The forms of organisation (the strategy's stages) that are bodies a profile can record: a
# stakeholder of that type, or one whose name starts with the body's word ("Konsorsium Genteng ...";
# not "Dinas Koperasi ...", an office).
_BODIES = {
    "cooperative": ("cooperative", re.compile(r"(?:Koperasi|Cooperative)\b")),
    "consortium": (None, re.compile(r"(?:Konsorsium|Consortium)\b")),
}


def test_the_strategy_does_not_aim_to_found_a_body_the_profile_records(clusters):
    problems = []
    for documents in clusters.values():
        for r in (r for r in documents if r.kind == "strategy"):
            target = r.t("strategy.status.target")
            stages = r.table("tbl-stages")
            aimed = [c[0] for c in map(cells, stages.rows) if c[1] == target]
            stakeholders = r.raw.get("stakeholders") or []
            for stage, (kind, name) in _BODIES.items():
                if r.t(f"strategy.stage.{stage}") not in aimed:
                    continue
                recorded = [s["name"] for s in stakeholders if s["type"] == kind or name.match(s["name"])]
                if recorded:
                    problems.append(f"{r.name}: tbl-stages gives {r.t(f'strategy.stage.{stage}')!r} as "
                                    f"{target!r}, but the profile records {', '.join(recorded)}")
    assert not problems, "\n".join(problems)
