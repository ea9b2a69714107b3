"""Every cluster of the sample that has a plan shows every section a professional reader looks for
first (issue 13), with content: the chapter's heading in both languages and formats, and its tables
with rows in the tree, in the HTML page and in the Word file alike."""

from __future__ import annotations

import pytest
from rendered_set import Rendered, cells, rendered_editions_fixture, rendered_set_fixture  # noqa: F401

# Per document kind: the headings (label keys) and the tables (ids) of the sections issue 13 added.
SECTIONS = {
    "profile": (
        ["profile.history.heading", "profile.process.heading", "profile.heading.prices",
         "profile.heading.findings", "profile.heading.annex_firm_list"],
        ["tbl-milestones", "tbl-support", "tbl-founding-decades", "tbl-production-process", "tbl-prices",
         "tbl-findings", "tbl-firm-list"],
    ),
    "action-plan": (
        ["plan.logframe.heading", "plan.risks.heading", "plan.roles.heading", "plan.reporting.heading",
         "plan.approval.heading"],
        ["tbl-logframe", "tbl-risks", "tbl-responsibilities", "tbl-reporting", "tbl-report-dues",
         "tbl-approval"],
    ),
    "monitoring": (
        ["monitoring.monev.heading.variances", "monitoring.monev.heading.corrective_actions",
         "monitoring.monev.heading.dac", "monitoring.monev.heading.pilot_lessons"],
        ["tbl-variances", "tbl-corrective-actions"],
    ),
    "guideline": (
        ["guideline.heading.questionnaire", "guideline.heading.workshop", "contacts.heading.contacts",
         "contacts.heading.services", "guideline.heading.operator"],
        ["tbl-questionnaire-firm", "tbl-questionnaire-seed", "tbl-workshop-agenda", "tbl-workshop-scoring",
         "tbl-contacts", "tbl-services", "tbl-minutes", "tbl-progress"],
    ),
}


@pytest.fixture(scope="module")
def pilots(rendered_set) -> list[Rendered]:
    found = [r for r in rendered_set if r.loaded is not None and r.kind in SECTIONS
             and r.loaded.path.with_suffix(".plan.yaml").is_file()]
    assert len({r.cluster_id for r in found}) == 7, sorted({r.cluster_id for r in found})
    return found


def _heading_text(r: Rendered, key: str) -> str:
    return r.t(key).split("{")[0].strip()


def test_every_pilot_has_every_new_chapter_in_both_formats(pilots):
    missing = []
    for r in pilots:
        headings, _ = SECTIONS[r.kind]
        if r.kind == "monitoring" and not r.loaded.monitoring:
            continue
        word = r.docx_texts
        for key in headings:
            text = _heading_text(r, key)
            if text not in r.html_text:
                missing.append(f"{r.name}: heading {text!r} not in the HTML")
            if not any(line.strip().endswith(text) for line in word):
                missing.append(f"{r.name}: heading {text!r} not in the Word file")
    assert not missing, "\n".join(missing)


def test_every_new_table_has_rows_in_the_tree_the_page_and_the_word_file(pilots):
    missing = []
    for r in pilots:
        _, tables = SECTIONS[r.kind]
        page = r.html_tables()
        word = {tuple(rows[0]) for rows in r.docx_tables() if rows}
        for table_id in tables:
            table = r.table(table_id)
            if table is None or not table.rows:
                missing.append(f"{r.name}: {table_id} missing or empty")
                continue
            if len(page.get(table_id, [])) != len(table.rows) + 1:
                shown = len(page.get(table_id, [])) - 1
                missing.append(f"{r.name}: {table_id}: {shown} HTML rows, {len(table.rows)} in the tree")
            if tuple(cells(table.header)) not in word:
                missing.append(f"{r.name}: {table_id} (header {cells(table.header)}) not in the Word file")
    assert not missing, "\n".join(missing)


def test_the_dac_chapter_assesses_all_six_criteria(pilots):
    for r in (r for r in pilots if r.kind == "monitoring"):
        for criterion in ("relevance", "coherence", "effectiveness", "efficiency", "impact",
                          "sustainability"):
            table = r.table(f"tbl-dac-{criterion}")
            assert table is not None and table.rows, f"{r.name}: no figures for {criterion}"


@pytest.mark.parametrize("kind", ["province-summary", "national-summary"])
def test_the_summaries_list_the_twelve_national_programmes(rendered_editions, kind):
    editions = [r for r in rendered_editions if r.kind == kind]
    assert editions
    for r in editions:
        table = r.table("tbl-programmes")
        assert table is not None and len(table.rows) == 12, r.name
        assert [cells(row)[0] for row in table.rows] == [str(n) for n in range(1, 13)], r.name
        assert r.table("tbl-programme-plans") is not None, r.name
