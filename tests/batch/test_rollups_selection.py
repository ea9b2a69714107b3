"""Which roll-ups a batch makes for its clusters, and when one is stale. Plain data (summaries, rows,
empty files): no Dask, nothing rendered."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import sample_facts
from conftest import ROOT

from cluster_reports import render
from cluster_reports.batch import rollups, scan
from cluster_reports.batch.manifest import FAILED, RENDERED, DocumentRow
from cluster_reports.domain.summary import summarise
from cluster_reports.inputs import params_io

KINDS = ["province-summary", "national-summary"]
LANGS, FORMATS = ["en"], ["html", "docx"]
TEGAL = "jawa-tengah/tegal-metalwork.yaml"
# One roll-up per province of the sample and the national one, as many as its params files give.
ROLLUPS = len(sample_facts.by_province()) + 1


@pytest.fixture(scope="module")
def summaries() -> dict[str, dict]:
    return {
        s.rel: summarise(params_io.load_file(s.path)).to_dict()
        for s in scan.scan(ROOT / "params" / "clusters").sources
    }


@pytest.fixture(scope="module")
def digests():
    return scan.digests(ROOT / "templates", "direct", ROOT / "notebooks")


def _plan(members, documents, digests, out: Path, force=False) -> rollups.RollupPlan:
    return rollups.stale_rollups(
        rollups.selection(KINDS, members), documents, digests, langs=LANGS, formats=FORMATS, out=out,
        force=force,
    )


def _rendered(plan: rollups.RollupPlan, out: Path) -> dict:
    """Rows of a run that wrote every stale roll-up (empty files under their keys)."""
    documents = {}
    for r in plan.stale:
        for lang in LANGS:
            for fmt in FORMATS:
                path = render.rollup_path(out, r.kind, r.province, lang, fmt)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"")
                doc = (r.subject, r.kind, lang, fmt)
                documents[doc] = DocumentRow(
                    *doc, plan.keys[doc], str(path.relative_to(out)), RENDERED, 0.1, None, 1
                )
    return documents


def _row(kind: str, fmt: str, status: str) -> DocumentRow:
    return DocumentRow(TEGAL, kind, "en", fmt, "k", None, status, 0.1, None, 1)


def _names(rs: list[rollups.Rollup]) -> list[tuple[str, str | None]]:
    return [(r.kind, r.province) for r in rs]


def test_a_roll_up_per_province_with_members_and_one_national(summaries):
    members = rollups.members(summaries, {}, ["profile"], LANGS, FORMATS)
    selected = rollups.selection(KINDS, members)
    provinces = sorted({m.province_slug for m in members})
    assert _names(selected) == [("province-summary", p) for p in provinces] + [("national-summary", None)]
    jawa_tengah = next(r for r in selected if r.province == "jawa-tengah")
    # The province's clusters, and those of other provinces scored in one of its rounds and groups
    # (for the rank in the round): Tegal's metalwork was scored with Waru-Sidoarjo and Sukabumi.
    own = [m for m in jawa_tengah.members if m.province_slug == "jawa-tengah"]
    assert len(own) == sample_facts.by_province()["jawa-tengah"]
    peers = {m.id for m in jawa_tengah.members if m.province_slug != "jawa-tengah"}
    assert {"waru-sidoarjo-metalwork", "sukabumi-metalwork"} <= peers
    assert "samosir-ulos-weaving" not in peers  # SMIDeP round, rural group: none of Jawa Tengah's
    assert provinces == sorted(sample_facts.by_province())
    assert jawa_tengah.subject == "province:jawa-tengah"
    assert len(selected[-1].members) == sample_facts.count() and selected[-1].subject == "national"
    assert rollups.selection(KINDS, []) == []  # no clusters: not even the national one


def test_a_member_lists_the_kinds_rendered_in_every_language_and_format(summaries):
    documents = {
        (TEGAL, "profile", "en", "html"): _row("profile", "html", RENDERED),
        (TEGAL, "profile", "en", "docx"): _row("profile", "docx", RENDERED),
        (TEGAL, "strategy", "en", "html"): _row("strategy", "html", RENDERED),
        (TEGAL, "strategy", "en", "docx"): _row("strategy", "docx", FAILED),
    }
    members = rollups.members(summaries, documents, ["profile", "strategy"], LANGS, FORMATS)
    tegal = next(m for m in members if m.id == "tegal-metalwork")
    assert tegal.documents == ("profile",)
    assert all(m.documents == () for m in members if m is not tegal)


def test_a_province_roll_up_is_stale_only_when_its_members_summaries_change(summaries, digests, tmp_path):
    members = rollups.members(summaries, {}, ["profile"], LANGS, FORMATS)
    first = _plan(members, {}, digests, tmp_path)
    assert len(first.stale) == ROLLUPS and first.up_to_date == 0
    documents = _rendered(first, tmp_path)
    again = _plan(members, documents, digests, tmp_path)
    assert again.stale == [] and again.up_to_date == ROLLUPS * len(LANGS) * len(FORMATS)

    changed = [replace(m, workers=(m.workers or 0) + 7) if m.id == "tegal-metalwork" else m for m in members]
    plan = _plan(changed, documents, digests, tmp_path)
    assert _names(plan.stale) == [("province-summary", "jawa-tengah"), ("national-summary", None)]
    assert plan.up_to_date == (ROLLUPS - 2) * len(LANGS) * len(FORMATS)  # all but those two


def test_a_members_new_document_makes_its_roll_ups_stale(summaries, digests, tmp_path):
    members = rollups.members(summaries, {}, ["profile"], LANGS, FORMATS)
    documents = _rendered(_plan(members, {}, digests, tmp_path), tmp_path)
    profiles = {(TEGAL, "profile", "en", fmt): _row("profile", fmt, RENDERED) for fmt in FORMATS}
    rendered = rollups.members(summaries, profiles, ["profile"], LANGS, FORMATS)
    plan = _plan(rendered, documents, digests, tmp_path)
    assert _names(plan.stale) == [("province-summary", "jawa-tengah"), ("national-summary", None)]


def test_a_deleted_roll_up_or_its_kinds_templates_make_it_stale(summaries, digests, tmp_path):
    out = tmp_path / "out"
    members = rollups.members(summaries, {}, ["profile"], LANGS, FORMATS)
    documents = _rendered(_plan(members, {}, digests, out), out)
    (out / "national-summary.en.docx").unlink()
    assert _names(_plan(members, documents, digests, out).stale) == [("national-summary", None)]

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "province-summary" / "en.md.j2").write_text("changed\n")
    edited = scan.digests(templates, "direct", ROOT / "notebooks")
    stale = _plan(members, documents, edited, out).stale
    assert {r.kind for r in stale} == {"province-summary", "national-summary"}
    assert len(stale) == ROLLUPS  # every province's, and the national one for its deleted file


def test_force_makes_every_roll_up_stale(summaries, digests, tmp_path):
    members = rollups.members(summaries, {}, ["profile"], LANGS, FORMATS)
    documents = _rendered(_plan(members, {}, digests, tmp_path), tmp_path)
    assert len(_plan(members, documents, digests, tmp_path, force=True).stale) == ROLLUPS
