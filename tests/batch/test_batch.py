"""`cluster-reports batch` end to end on Dask: a local cluster of worker processes, an in-process
cluster (to watch roll-up scheduling), a real `dask scheduler` + `dask worker`, a killed run.

Runs use one language and few formats to keep the time reasonable; what differs between languages
and formats is tested with the documents themselves."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import clients
import pytest
import sample_facts
from checks import docx_text, edit_block, html_text
from conftest import ROOT
from rich.console import Console

from cluster_reports import atomic, render
from cluster_reports.batch import manifest, scan, tasks
from cluster_reports.batch import run as batch
from cluster_reports.batch.run import BatchOptions
from cluster_reports.review.reviewed import block_texts

PARAMS = ROOT / "params"
VENV_BIN = Path(sys.executable).parent
BROKEN = "kalimantan-selatan/broken-rattan.yaml"
CLUSTERS = sample_facts.count()  # the sample's cluster params files, both eras


def _copy_params(tmp_path: Path, only: list[str] | None = None, broken: bool = False) -> Path:
    """The sample's params (all, or only some clusters with their sidecars) and the library."""
    target = tmp_path / "params"
    shutil.copytree(PARAMS / "programmes", target / "programmes")
    for path in sorted((PARAMS / "clusters").rglob("*.*")):
        rel = path.relative_to(PARAMS / "clusters")
        if only is None or any(
            rel.name.startswith(Path(o).stem + ".") and rel.parent.name == Path(o).parent.name for o in only
        ):
            (target / "clusters" / rel.parent).mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / "clusters" / rel)
    if broken:
        text = (PARAMS / "clusters" / "kalimantan-selatan" / "amuntai-rattan.yaml").read_text()
        text = (
            text.replace("id: amuntai-rattan", "id: broken-rattan").replace(
                "en: Amuntai rattan cluster", "en: Broken rattan cluster"
            )
            + "\nharvest_month: 5\n"
        )
        (target / "clusters" / BROKEN).write_text(text)
    return target / "clusters"


def run_batch(
    params: Path, out: Path, kinds=("profile",), langs=("en",), formats=("html",), **options
) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = batch.main(
        BatchOptions(
            params_dir=params, out=out, kinds=list(kinds), langs=list(langs), formats=list(formats), **options
        ),
        Console(file=stdout, width=300),
        Console(file=stderr, width=300),
    )
    return code, stdout.getvalue(), stderr.getvalue()


def rows(out: Path) -> dict[tuple[str, str, str, str], manifest.DocumentRow]:
    m = manifest.Manifest(out)
    try:
        return m.documents()
    finally:
        m.close()


def rendered_in(out: Path, run_id: int) -> set[str]:
    """Subjects (cluster sources, roll-ups) with a document rendered in the given run."""
    return {r.subject for r in rows(out).values() if r.run_id == run_id and r.status == manifest.RENDERED}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.clients
def test_batch_on_a_local_cluster_records_failures_and_reruns_only_what_changed(tmp_path):
    params = _copy_params(tmp_path, broken=True)
    out = tmp_path / "out"
    code, stdout, stderr = run_batch(params, out, workers=2)
    # The broken cluster fails the run, named by file, field and reason; all the others are rendered.
    assert code == 1
    assert "broken-rattan.yaml" in stderr and "harvest_month" in stderr
    expected = sorted(
        p.relative_to(params)
        for p in params.rglob("*.yaml")
        if p.name.count(".") == 1 and "broken" not in p.name
    )
    assert len(expected) == CLUSTERS
    written = sorted(out.rglob("profile.en.html"))
    assert len(written) == CLUSTERS
    assert f"clusters: {CLUSTERS} rendered, 0 up to date, 1 failed" in stdout

    # The index: valid HTML, every cluster with its status and working links, the failure's message.
    index = out / "index.html"
    assert clients.validate_html([index]) == []
    text, links = html_text(index)
    assert "broken-rattan" in text and "harvest_month" in text
    assert "Kebumen roof-tile cluster" in text and "Jawa Tengah" in text
    assert sorted(out / link for link in links) == written
    assert text.count("rendered") >= CLUSTERS

    # A re-run renders nothing; the broken cluster is tried again (it may have been fixed) and fails.
    mtimes = {p: p.stat().st_mtime_ns for p in written}
    start = time.perf_counter()
    code, stdout, _ = run_batch(params, out, workers=2)
    print(f"re-run with nothing changed: {time.perf_counter() - start:.1f} s")
    assert code == 1
    assert f"clusters: 0 rendered, {CLUSTERS} up to date, 1 failed" in stdout
    assert {p: p.stat().st_mtime_ns for p in written} == mtimes
    assert rendered_in(out, 2) == set()
    assert "up to date" in html_text(index)[0]

    # Editing one cluster (not what its peers' tables show): only its documents.
    edit(
        params / "jawa-tengah" / "tegal-metalwork.yaml",
        "en: Fabricated metal products",
        "en: Fabricated metal goods",
    )
    code, stdout, _ = run_batch(params, out, workers=2)
    assert code == 1
    assert rendered_in(out, 3) == {"jawa-tengah/tegal-metalwork.yaml"}
    assert "Fabricated metal goods" in html_text(out / "jawa-tengah/tegal-metalwork/profile.en.html")[0]

    # Fixing the broken file: it joins the export-oriented group of its round (the study's), whose members'
    # selection tables now list it; the other groups' profiles stay as they are, and so does the
    # export-oriented cluster of the SMIDeP round.
    (params / BROKEN).write_text((params / BROKEN).read_text().replace("harvest_month: 5", ""))
    code, stdout, _ = run_batch(params, out, workers=2)
    assert code == 0
    group = sample_facts.peers("kalimantan-selatan/amuntai-rattan.yaml")  # the broken file's copy
    assert group == {
        "jawa-barat/garut-vetiver-oil.yaml",
        "kalimantan-selatan/amuntai-rattan.yaml",
        "jawa-tengah/serenan-klaten-wood-furniture.yaml",
        "sumatera-barat/lima-puluh-kota-gambier.yaml",
    }
    assert rendered_in(out, 4) == {BROKEN, *group}  # not Pontianak: export-oriented, another round
    assert "Broken rattan cluster" in html_text(out / "jawa-barat/garut-vetiver-oil/profile.en.html")[0]
    assert "Broken rattan cluster" not in html_text(out / "jawa-tengah/tegal-metalwork/profile.en.html")[0]
    assert "Failures" not in html_text(index)[0]

    # --force renders all.
    code, stdout, _ = run_batch(params, out, workers=2, force=True)
    assert code == 0
    assert len(rendered_in(out, 5)) == CLUSTERS + 1


def test_rollups_are_rebuilt_only_for_the_province_that_changed(tmp_path, monkeypatch, inproc_scheduler):
    """Roll-up scheduling with a stand-in roll-up (workers are threads of this process here)."""
    calls: list[tuple[str, str | None, tuple[str, ...]]] = []

    def fake_rollup(kind, summaries, key, langs, formats, out, templates, publication=None, programmes=None):
        calls.append((kind, key, tuple(s.id for s in summaries)))
        outcome = render.Outcome(f"{kind}:{key or 'national'}", None)
        for lang in langs:
            for fmt in formats:
                path = render.rollup_path(out, kind, key, lang, fmt)
                atomic.write_text_atomic(path, "<!DOCTYPE html><title>x</title>")
                outcome.written.append(path)
        return outcome

    monkeypatch.setattr(render, "render_rollup", fake_rollup)
    params = _copy_params(
        tmp_path,
        only=[
            "jawa-tengah/tegal-metalwork.yaml",
            "jawa-barat/sukabumi-metalwork.yaml",
            "jawa-barat/garut-vetiver-oil.yaml",
        ],
    )
    out = tmp_path / "out"
    kinds = ("profile", "province-summary", "national-summary")

    def run() -> set:
        calls.clear()
        code, _, stderr = run_batch(params, out, kinds=kinds, scheduler=inproc_scheduler)
        assert code == 0, stderr
        return {(kind, key) for kind, key, _ in calls}

    assert run() == {
        ("province-summary", "jawa-barat"),
        ("province-summary", "jawa-tengah"),
        ("national-summary", None),
    }
    by_key = {key: ids for _, key, ids in calls}
    # Jawa Barat's clusters, and Tegal's scores for Sukabumi's rank in their round (2004 study, metal)
    assert by_key["jawa-barat"] == ("garut-vetiver-oil", "sukabumi-metalwork", "tegal-metalwork")
    assert len(by_key[None]) == 3
    assert (out / "jawa-barat" / "province-summary.en.html").is_file()
    assert (out / "national-summary.en.html").is_file()
    assert "Provincial Cluster Identification Report" in html_text(out / "index.html")[0]

    assert run() == set()  # nothing changed

    # A change a roll-up shows (the industry): that province's roll-up and the national one.
    edit(params / "jawa-tengah" / "tegal-metalwork.yaml", "en: Fabricated metal products", "en: Metal goods")
    assert run() == {("province-summary", "jawa-tengah"), ("national-summary", None)}
    assert rendered_in(out, 3) == {"jawa-tengah/tegal-metalwork.yaml", "province:jawa-tengah", "national"}

    # A change of a name, which the peers' selection tables show: the group's profiles are rebuilt
    # (Sukabumi is in Tegal's group and round), Garut's (another group) is not.
    edit(
        params / "jawa-tengah" / "tegal-metalwork.yaml",
        "en: Tegal metalwork cluster",
        "en: Tegal metal cluster",
    )
    run()
    assert rendered_in(out, 4) == {
        "jawa-tengah/tegal-metalwork.yaml",
        "jawa-barat/sukabumi-metalwork.yaml",
        "province:jawa-tengah",
        "national",
    }

    # A comment changes the file's bytes but nothing a document or roll-up shows... except the file's
    # own documents, which are made from it: they are rebuilt, the roll-ups not.
    edit(params / "jawa-barat" / "garut-vetiver-oil.yaml", "\nid:", "\n# reviewed\nid:")
    assert run() == set()
    assert rendered_in(out, 5) == {"jawa-barat/garut-vetiver-oil.yaml"}


def test_a_template_error_fails_its_documents_and_the_rest_goes_on(tmp_path, monkeypatch, inproc_scheduler):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    source = templates / "strategy" / "en.md.j2"
    source.write_text(
        source.read_text().replace("{% block summary %}", "{% block summary %}{{ no_such_value }}")
    )
    monkeypatch.setenv("CLUSTER_REPORTS_TEMPLATES", str(templates))
    params = _copy_params(
        tmp_path, only=["jawa-tengah/kebumen-roof-tile.yaml", "jawa-tengah/tegal-metalwork.yaml"]
    )
    out = tmp_path / "out"
    code, stdout, stderr = run_batch(params, out, kinds=("profile", "strategy"), scheduler=inproc_scheduler)
    assert code == 1
    assert "no_such_value" in stderr and "kebumen-roof-tile.yaml" in stderr
    assert (out / "jawa-tengah/kebumen-roof-tile/profile.en.html").is_file()
    assert (out / "jawa-tengah/tegal-metalwork/profile.en.html").is_file()
    assert not (out / "jawa-tengah/kebumen-roof-tile/strategy.en.html").exists()
    text = html_text(out / "index.html")[0]
    assert "no_such_value" in text and "not available" in text  # Tegal has no strategy
    # Fixing the template renders just the failed document.
    source.write_text(source.read_text().replace("{{ no_such_value }}", ""))
    code, stdout, _ = run_batch(params, out, kinds=("profile", "strategy"), scheduler=inproc_scheduler)
    assert code == 0
    assert {(r.subject, r.kind) for r in rows(out).values() if r.run_id == 2 and r.status == "rendered"} == {
        ("jawa-tengah/kebumen-roof-tile.yaml", "strategy")
    }


def test_bad_options_exit_2_and_name_the_option(tmp_path):
    code, _, stderr = run_batch(tmp_path / "nowhere", tmp_path / "out", engine="pandoc")
    assert code == 2
    assert "--engine: unknown engine 'pandoc'" in stderr and "no such folder" in stderr
    assert not (tmp_path / "out").exists()


def test_a_killed_batch_resumes_and_leaves_no_partial_file(tmp_path):
    params = _copy_params(tmp_path)
    out = tmp_path / "out"
    cmd = [
        str(VENV_BIN / "cluster-reports"),
        "batch",
        str(params),
        "--out",
        str(out),
        "--doc",
        "profile",
        "--lang",
        "en",
        "--format",
        "docx,html",
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not _documents_recorded(out):
            assert proc.poll() is None, "the batch ended before it could be killed"
            time.sleep(0.05)
        assert _documents_recorded(out), "no document recorded in time"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-run
        proc.wait()
    first = {r.subject for r in rows(out).values() if r.status == "rendered"}
    assert 0 < len(first) < CLUSTERS

    code, stdout, _ = run_batch(params, out, formats=("docx", "html"), workers=2)
    assert code == 0
    assert rendered_in(out, 2) == {s.rel for s in scan.scan(params).sources} - first
    assert [p for p in out.rglob("*") if p.name.endswith((".part", ".tmp"))] == []
    docs = sorted(out.rglob("profile.en.docx"))
    assert len(docs) == CLUSTERS and len(list(out.rglob("profile.en.html"))) == CLUSTERS
    for path in docs:
        assert any("Kebumen" in t or "Tegal" in t or t for t in docx_text(path))


def _documents_recorded(out: Path) -> bool:
    try:
        db = sqlite3.connect(f"file:{out / manifest.FILENAME}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM documents WHERE status = 'rendered'").fetchone()[0] > 0
        finally:
            db.close()
    except sqlite3.Error:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_scheduler(tmp_path):
    """A real `dask scheduler` and `dask worker` on loopback, torn down after the test."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # one generation date for both engines
    procs = [
        subprocess.Popen(
            [
                str(VENV_BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            cwd=tmp_path,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    procs.append(
        subprocess.Popen(
            [
                str(VENV_BIN / "dask"),
                "worker",
                address,
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-dashboard",
            ],
            cwd=tmp_path,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    try:
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture(scope="module")
def inproc_scheduler():
    """A Dask cluster whose worker is a thread of this process (so a test can monkeypatch it)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_real_scheduler_runs_both_engines_to_the_same_text(tmp_path, dask_scheduler, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    params = _copy_params(
        tmp_path, only=["jawa-tengah/kebumen-roof-tile.yaml", "jawa-tengah/tegal-metalwork.yaml"]
    )
    outs = {}
    for engine in ("direct", "papermill"):
        out = outs[engine] = tmp_path / engine
        code, stdout, stderr = run_batch(
            params,
            out,
            kinds=("profile", "strategy"),
            formats=("docx", "html"),
            scheduler=dask_scheduler,
            engine=engine,
        )
        assert code == 0, stderr
        assert "clusters: 2 rendered" in stdout
    docs = sorted(
        p.relative_to(outs["direct"])
        for p in outs["direct"].rglob("*.*")
        if p.suffix in (".docx", ".html") and p.name != "index.html"
    )
    assert len(docs) == 6  # two profiles, Kebumen's strategy; docx and html
    for rel in docs:
        direct, paper = outs["direct"] / rel, outs["papermill"] / rel
        if rel.suffix == ".docx":
            assert docx_text(direct) == docx_text(paper), rel
        else:
            assert html_text(direct)[0] == html_text(paper)[0], rel
    # The audit trail: each executed notebook and its HTML copy beside its documents, linked from the index.
    kebumen = outs["papermill"] / "jawa-tengah" / "kebumen-roof-tile"
    assert (kebumen / "profile.ipynb").is_file() and (kebumen / "strategy.ipynb").is_file()
    assert (kebumen / "profile.notebook.html").is_file() and (kebumen / "strategy.notebook.html").is_file()
    index_links = html_text(outs["papermill"] / "index.html")[1]
    assert "jawa-tengah/kebumen-roof-tile/strategy.ipynb" in index_links
    assert "jawa-tengah/kebumen-roof-tile/strategy.notebook.html" in index_links
    assert not list(outs["direct"].rglob("*.ipynb"))


def test_workers_on_other_code_are_refused(tmp_path, inproc_scheduler, monkeypatch):
    monkeypatch.setattr(tasks, "_LOADED_PACKAGE", "an older version")
    code, _, stderr = run_batch(
        _copy_params(tmp_path, only=["jawa-tengah/tegal-metalwork.yaml"]),
        tmp_path / "o",
        scheduler=inproc_scheduler,
    )
    assert code == 2
    assert "run another version of cluster-reports" in stderr and re.search(r"restart them", stderr)


@pytest.mark.clients
def test_real_rollups_are_written_linked_and_rebuilt_for_their_province(tmp_path, inproc_scheduler):
    params = _copy_params(
        tmp_path, only=["jawa-tengah/tegal-metalwork.yaml", "jawa-barat/sukabumi-metalwork.yaml"]
    )
    out = tmp_path / "out"
    kinds = ("profile", "province-summary", "national-summary")
    code, _, stderr = run_batch(params, out, kinds=kinds, scheduler=inproc_scheduler)
    assert code == 0, stderr
    pages = [
        out / "jawa-tengah/province-summary.en.html",
        out / "jawa-barat/province-summary.en.html",
        out / "national-summary.en.html",
        out / "index.html",
    ]
    assert clients.validate_html(pages) == []
    links = html_text(out / "index.html")[1]
    assert {"national-summary.en.html", "jawa-barat/province-summary.en.html"} <= set(links)
    assert "Tegal" in html_text(out / "jawa-tengah/province-summary.en.html")[0]
    edit(params / "jawa-tengah" / "tegal-metalwork.yaml", "en: Fabricated metal products", "en: Metal goods")
    code, _, stderr = run_batch(params, out, kinds=kinds, scheduler=inproc_scheduler)
    assert code == 0, stderr
    assert rendered_in(out, 2) == {"jawa-tengah/tegal-metalwork.yaml", "province:jawa-tengah", "national"}


def test_the_index_speaks_the_first_language_asked_for(tmp_path):
    params = _copy_params(tmp_path, only=["jawa-tengah/tegal-metalwork.yaml"])
    code, _, stderr = run_batch(params, tmp_path / "id", kinds=("profile", "strategy"), langs=("id", "en"))
    assert code == 0, stderr
    text, _ = html_text(tmp_path / "id" / "index.html")
    for words in ("Indeks Dokumen", "Laporan Profil Sentra", "disusun", "tidak tersedia", "Berkas"):
        assert words in text, words
    assert "Document index" not in text and "not available" not in text
    assert '<html lang="id"' in (tmp_path / "id" / "index.html").read_text(encoding="utf-8")


def test_a_batch_keeps_reviewers_edits_and_records_conflicts(tmp_path, inproc_scheduler):
    params = _copy_params(
        tmp_path, only=["jawa-tengah/kebumen-roof-tile.yaml", "jawa-tengah/tegal-metalwork.yaml"]
    )
    out = tmp_path / "out"
    code, _, stderr = run_batch(params, out, formats=("docx",), scheduler=inproc_scheduler)
    assert code == 0, stderr
    kebumen = out / "jawa-tengah/kebumen-roof-tile/profile.en.docx"
    tegal = out / "jawa-tengah/tegal-metalwork/profile.en.docx"
    edit_block(kebumen, "summary", "Kebumen's summary, as the reviewer wrote it.")
    edit_block(tegal, "products", "Tegal's products, as the reviewer wrote them.")
    before = kebumen.read_bytes()
    for name in ("kebumen-roof-tile", "tegal-metalwork"):  # new data for both
        path = params / "jawa-tengah" / f"{name}.yaml"
        path.write_text(re.sub(r"(?m)^workers: (\d+)$", lambda m: f"workers: {int(m[1]) + 7}",
                               path.read_text(encoding="utf-8")), encoding="utf-8")

    code, _, stderr = run_batch(params, out, formats=("docx",), scheduler=inproc_scheduler)
    assert code == 1  # a conflict is a failure of that document
    assert "conflict in the reviewed report" in stderr and "kebumen-roof-tile" in stderr
    assert "profile.en.new.docx" in stderr and "profile.en.review.md" in stderr
    assert not re.search(r"(?m)^error", stderr)  # a conflict in a reviewed report, not an error
    assert kebumen.read_bytes() == before and kebumen.with_name("profile.en.new.docx").is_file()
    texts = block_texts(tegal)
    assert texts["products"] == ["Tegal's products, as the reviewer wrote them."]  # kept
    assert (tegal.parent / "history").is_dir()
    row = rows(out)[("jawa-tengah/kebumen-roof-tile.yaml", "profile", "en", "docx")]
    assert row.status == "failed" and "edited by the reviewer" in row.error
    assert "edited by the reviewer" in html_text(out / "index.html")[0]
