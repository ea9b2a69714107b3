"""Execution on Dask: what goes to the workers with the render tasks (a group's peers, once and as one
object, made by a task), and no Dask at all when there is nothing to do. The workers are threads of
this process (the ``inproc_scheduler`` of test_batch.py), so the engine can be stood in for."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sample_facts
from conftest import ROOT
from rich.console import Console
from test_batch import inproc_scheduler  # noqa: F401 - a fixture of these tests

from cluster_reports.batch import engines, scan, staleness, tasks
from cluster_reports.batch.execute import Executor
from cluster_reports.batch.tasks import Settings
from cluster_reports.domain.summary import summarise
from cluster_reports.inputs import params_io

CLUSTERS = ROOT / "params" / "clusters"


@pytest.fixture(scope="module")
def sample():
    sources = {s.rel: s for s in scan.scan(CLUSTERS).sources}
    summaries = {rel: summarise(params_io.load_file(s.path)).to_dict() for rel, s in sources.items()}
    return sources, summaries


def _plan(sample, kinds: list[str], out: Path) -> staleness.Plan:
    sources, summaries = sample
    digests = scan.digests(ROOT / "templates", "direct", ROOT / "notebooks")
    return staleness.stale_clusters(summaries, sources, {}, digests, kinds=kinds, langs=["en"],
                                    formats=["html"], out=out)


def _render(plan: staleness.Plan, out: Path, scheduler: str, monkeypatch) -> tuple[dict, list]:
    """Render the plan with a stand-in engine: the peers each cluster got, and the peers tasks' data."""
    peers_of: dict[str, list] = {}

    def engine(loaded, jobs, out, peers, templates):
        peers_of[loaded.params.id] = peers
        return []

    monkeypatch.setattr(engines, "render_direct", engine)
    executor = Executor(1, scheduler, Console(file=io.StringIO()))
    sent: list = []
    try:
        client = executor.client()
        submit = client.submit

        def spy(func, *args, **options):
            if func is tasks.peer_summaries:
                sent.append(args[0])
            return submit(func, *args, **options)

        monkeypatch.setattr(client, "submit", spy)
        settings = Settings(out, ROOT / "templates", CLUSTERS, "direct", "digest")
        results = list(executor.render(plan.stale, plan.groups, settings, run_id=1))
    finally:
        executor.close()
    assert sorted(r.source for r in results) == sorted(s.source.rel for s in plan.stale)
    assert [r.error for r in results if r.error] == []
    return peers_of, sent


def test_a_groups_peers_go_to_the_workers_once_and_as_one_object(sample, tmp_path, monkeypatch,
                                                                   inproc_scheduler):  # noqa: F811
    plan = _plan(sample, ["profile"], tmp_path)
    peers_of, sent = _render(plan, tmp_path, inproc_scheduler, monkeypatch)
    assert len(plan.groups) == len(sample_facts.group_rounds()) > 1
    # One task per group-round, of its summaries as plain data (a lost worker's copy is made again).
    assert sorted(map(len, sent)) == sorted(map(len, plan.groups.values()))
    assert all(isinstance(d, dict) for data in sent for d in data)
    for s in plan.stale:
        ids = [p.id for p in peers_of[sample[1][s.source.rel]["id"]]]
        assert ids == [d["id"] for d in plan.groups[s.group]]


def test_without_profiles_no_peers_are_sent(sample, tmp_path, monkeypatch, inproc_scheduler):  # noqa: F811
    plan = _plan(sample, ["strategy"], tmp_path)
    peers_of, sent = _render(plan, tmp_path, inproc_scheduler, monkeypatch)
    assert sent == [] and len(peers_of) == sample_facts.count()
    assert all(peers == [] for peers in peers_of.values())


def test_no_dask_is_started_when_there_is_nothing_to_do(tmp_path):
    executor = Executor(2, None, Console(file=io.StringIO()))
    settings = Settings(tmp_path, ROOT / "templates", CLUSTERS, "direct", "digest")
    assert list(executor.summarise([], settings)) == []
    assert list(executor.render([], {}, settings, run_id=1)) == []
    assert list(executor.rollups([], ["en"], ["html"], settings)) == []
    assert executor._client is None
    executor.close()
