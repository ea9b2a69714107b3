"""The whole document set over the shipped sample, as `make demo` renders it: every cluster gets the
documents it has data for, the others are reported 'not available', and nothing fails."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import sample_facts
from checks import LEFTOVERS
from clients import validate_html
from conftest import SAMPLE
from docx.oxml.ns import qn

KINDS = ("profile", "strategy", "action-plan", "monitoring", "guideline")
NEEDS = {"strategy": ("strategy",), "action-plan": ("plan",), "monitoring": ("plan", "monitoring")}


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("set")
    result = subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", "render", str(SAMPLE), "--doc", ",".join(KINDS),
         "--lang", "id,en", "--format", "docx,html", "--out", str(out)],
        capture_output=True, text=True, timeout=1800,
    )
    return result, out


def expected(item, kind: str) -> bool:
    return all(part in item.parts for part in NEEDS.get(kind, ()))


def test_every_cluster_gets_what_it_has_data_for(run, sample):
    result, out = run
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    planned = {item.params.id for item in sample if item.plan is not None}
    assert planned == set(sample_facts.with_sidecar("plan"))
    # Of the study's ten, the three pilots carry plans; so does every SMIDeP-era cluster (a LIAP each).
    study = set(sample_facts.in_round(sample_facts.STUDY_ROUND))
    pilots = {"waru-sidoarjo-metalwork", "serenan-klaten-wood-furniture", "kebumen-roof-tile"}
    assert planned & study == pilots
    assert planned - study == set(sample_facts.in_round("smidep-2014"))
    for item in sample:
        folder = out / item.params.location.province_record.slug / item.params.id
        for kind in KINDS:
            files = [folder / f"{kind}.{lang}.{fmt}" for lang in ("id", "en") for fmt in ("docx", "html")]
            if expected(item, kind):
                assert all(f.is_file() and f.stat().st_size > 0 for f in files), (item.params.id, kind)
            else:
                assert not any(f.exists() for f in files), (item.params.id, kind)
                assert f"not available: {kind} for {item.params.id}" in result.stdout


def test_every_page_is_valid_html_without_leftovers(run):
    _, out = run
    index = out / "index.html"  # the list of the folder's documents, which every page links back to
    pages = sorted(p for p in out.rglob("*.html") if p != index)
    # Every cluster's profile and guideline, and a strategy, action plan or monitoring report where its
    # sidecars give one (monitoring needs the plan too), each in two languages.
    documents = 2 * sample_facts.count() + sum(
        len(sample_facts.with_sidecar(kind)) for kind in ("strategy", "plan")
    ) + len(set(sample_facts.with_sidecar("plan")) & set(sample_facts.with_sidecar("monitoring")))
    assert len(pages) == 2 * documents
    assert validate_html([*pages, index]) == []
    for page in pages:
        body = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        assert not LEFTOVERS.search(body), page


def test_every_word_file_opens_and_has_its_blocks(run):
    _, out = run
    for path in sorted(out.rglob("*.docx")):
        document = docx.Document(str(path))
        text = "\n".join(p.text for p in document.paragraphs)
        assert not LEFTOVERS.search(text), path
        starts = document.element.body.iter(qn("w:bookmarkStart"))
        names = {b.get(qn("w:name")) for b in starts}
        assert any(n and n.startswith("cr_") for n in names), f"{path}: no block bookmarks"
