"""The synthetic national set: valid, reproducible, with the study's shares, and always marked synthetic."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
import yaml
from docx import Document
from rich.console import Console

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io, regions, synth
from cluster_reports.inputs.schema import DATA_SECTIONS, SourceKind

N = 300


def run(n: int, seed: int, out: Path) -> tuple[int, str, str]:
    console, errors = Console(record=True, width=200), Console(record=True, width=200)
    code = synth.main(n, seed, out, console, errors)
    return code, console.export_text(), errors.export_text()


def files_below(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("synth") / "set"
    code, printed, errors = run(N, 1, out)
    assert code == 0, errors
    return out, printed


@pytest.fixture(scope="module")
def loaded(written) -> list[params_io.LoadedParams]:
    items, problems = params_io.load_many([written[0]])
    assert not problems, "\n".join(map(str, problems[:10]))
    return items


@pytest.fixture(scope="module")
def national() -> list[tuple[str, str, dict]]:
    return synth.generate(2000, 7)


def island_group(data: dict) -> str:
    return synth.island_groups()[regions.find_province(data["location"]["province"]).code]


def test_every_file_is_valid_and_says_it_is_synthetic(written, loaded):
    out, _ = written
    assert len(loaded) == N
    assert len(list(out.rglob("*.yaml"))) == N
    for item in loaded:
        p = item.params
        assert p.synthetic is True
        assert item.path.read_text(encoding="utf-8").startswith("# SYNTHETIC cluster")
        # Every data section given is covered, and only by the one source, of kind synthetic.
        assert [s.kind for s in p.sources] == [SourceKind.synthetic]
        assert {i for e in p.provenance for i in e.source} == {p.sources[0].id}
        given = {s for s in DATA_SECTIONS if getattr(p, s) not in (None, [])}
        assert given <= {e.field for e in p.provenance}
        # Layout: <province-slug>/<id>.yaml, the location in the official list.
        province = regions.find_province(p.location.province)
        assert province is not None and regions.find_regency(p.location.regency, province) is not None
        assert item.path.relative_to(out).as_posix() == f"{province.slug}/{p.id}.yaml"
        assert p.name.id.startswith("Sentra IKM ") and re.search(r" \d+$", p.name.en)
        assert round(sum(m.share_pct for m in p.markets)) == 100
        assert p.selection.growth_opportunity <= 54 and p.selection.action_capacity <= 36
        assert p.firms.potentially_viable <= sum(p.firms.by_size.model_dump().values())
        assert any(s.type == "regency-government" and p.location.regency in s.name for s in p.stakeholders)
    assert len({item.params.id for item in loaded}) == N


def test_summary_names_files_provinces_and_seconds(written):
    _, printed = written
    match = re.search(r"Wrote (\d+) synthetic params files over (\d+) provinces .* in [\d.]+ s", printed)
    assert match and int(match.group(1)) == N and int(match.group(2)) == len(regions.provinces())


def test_same_seed_same_bytes_other_seed_other_set(written, tmp_path):
    out, _ = written
    code, _, _ = run(N, 1, tmp_path / "again")
    assert code == 0
    assert files_below(tmp_path / "again") == files_below(out)
    code, _, _ = run(N, 2, tmp_path / "other")
    assert code == 0
    other = files_below(tmp_path / "other")
    same = files_below(out)
    assert sum(1 for k, v in other.items() if same.get(k) == v) < N // 10


def test_regional_shares_follow_the_study(national):
    counts = Counter(island_group(d) for _, _, d in national)
    # Section 2.1(1): 46.5, 18.5, 11.3, 11.3 and 8.7 % of 9,800; the five counts leave 3.8 % unplaced,
    # so the set keeps their proportions.
    study = {"java-bali": 4558, "sumatra": 1810, "sulawesi": 1102, "east-indonesia": 1101, "kalimantan": 856}
    for group, count in study.items():
        assert abs(counts[group] / 2000 - count / sum(study.values())) < 0.005, group
    # Within an island group, provinces in proportion to their number of regencies.
    jatim, bali = (sum(1 for _, _, d in national if d["location"]["province"] == name)
                   for name in ("Jawa Timur", "Bali"))
    assert 3.5 < jatim / bali < 5  # 38 regencies against 9


def test_sub_sector_mix_follows_table_2_1():
    slots = synth.allocate(9800, synth.random.Random(3))
    counts = Counter(s.subsector.isic for s in slots)
    # At the study's 9,800 sentra, the ten rows of Table 2.1 come out exactly.
    table = {"3313": 1433, "3642": 935, "3118": 677, "3211": 880, "3124": 660,
             "3125": 413, "3221": 454, "3321": 468, "3127": 327, "3710": 458}
    assert {k: counts[k] for k in table} == table
    assert sum(v for k, v in counts.items() if k not in table) == 9800 - 6705
    assert len({(s.province.code, s.regency.code) for s in slots}) > 450  # spread over most regencies


def test_sub_sector_mix_at_a_smaller_n(national):
    counts = Counter(d["industry"]["isic"] for _, _, d in national)
    assert abs(counts["3313"] - 1433 * 2000 / 9800) <= 1
    assert abs(counts["3642"] - 935 * 2000 / 9800) <= 1
    groups = Counter(d["group"] for _, _, d in national)
    assert groups["rural-indigenous"] > groups["export-oriented"] > 0 and groups["metal-machinery"] > 0


def test_firms_are_calibrated_on_the_national_totals(national):
    firms = [sum(d["firms"]["by_size"].values()) for _, _, d in national]
    workers = [d["workers"] for _, _, d in national]
    # 475,000 enterprises and 1,295,000 workers over 9,800 sentra.
    assert abs(statistics.mean(firms) / (475_000 / 9800) - 1) < 0.1
    assert abs(statistics.mean(workers) / (1_295_000 / 9800) - 1) < 0.1
    micro = sum(d["firms"]["by_size"]["micro"] for _, _, d in national)
    assert micro / sum(firms) > 0.8
    # The study: about 74 % of clusters with more than 100 enterprises are in Java-Bali.
    big = [island_group(d) for (_, _, d), f in zip(national, firms, strict=True) if f > 100]
    assert 0.6 < big.count("java-bali") / len(big) < 0.85
    growth = [d["selection"]["growth_opportunity"] for _, _, d in national]
    assert 25 < statistics.mean(growth) < 40 and statistics.pstdev(growth) > 3
    for _, _, d in national:
        assert d["value_added"] < d["annual_sales"]


def test_yaml_writer_round_trips(national):
    for _, _, data in national[:300]:
        assert yaml.safe_load(synth.to_yaml(data, "header")) == data
    tricky = {"a": ["yes", "no", "null", "1e3", "x: y", "# not a comment", 'say "hi"', "Rp 1.500.000",
                    "", "~", "tab\there", "ü", "line\nbreak"],
              "b": {"en": "on", "id": "off"}, "c": 0.5, "d": False, "e": []}
    assert yaml.safe_load(synth.to_yaml(tricky, "x")) == tricky


def test_refuses_a_folder_holding_other_files(tmp_path):
    out = tmp_path / "params"
    (out / "jawa-tengah").mkdir(parents=True)
    real = out / "jawa-tengah" / "real-cluster.yaml"
    real.write_text("id: real-cluster\n")
    code, _, errors = run(20, 1, out)
    assert code == 1
    assert str(out) in errors and "jawa-tengah/real-cluster.yaml" in errors
    assert files_below(out) == {"jawa-tengah/real-cluster.yaml": b"id: real-cluster\n"}  # nothing written


def test_rerun_replaces_its_own_set(tmp_path):
    out = tmp_path / "set"
    assert run(50, 1, out)[0] == 0
    assert run(20, 2, out)[0] == 0  # its own files: replaced, the ones no longer in the set removed
    assert len(list(out.rglob("*.yaml"))) == 20
    manifest = (out / synth.MANIFEST).read_text().splitlines()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml")) == sorted(manifest[1:])
    assert all(any(d.iterdir()) for d in out.iterdir() if d.is_dir())  # no empty province folders left


def test_an_interrupted_run_leaves_complete_files_and_can_be_rerun(tmp_path, monkeypatch):
    out = tmp_path / "set"
    real_write = synth.atomic.write_text_atomic
    calls = []

    def failing(path, text):
        calls.append(path)
        if len(calls) == 12:
            raise OSError(28, "No space left on device", str(path))
        real_write(path, text)

    monkeypatch.setattr(synth.atomic, "write_text_atomic", failing)
    code, _, errors = run(40, 1, out)
    assert code == 1 and "No space left on device" in errors
    written = list(out.rglob("*.yaml"))
    assert len(written) == 10  # the manifest first, then ten files
    for path in written:
        assert params_io.load_file(path).params.synthetic
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    monkeypatch.setattr(synth.atomic, "write_text_atomic", real_write)
    assert run(40, 1, out)[0] == 0  # the manifest names them: the folder is its own
    assert len(list(out.rglob("*.yaml"))) == 40


def test_profile_of_a_synthetic_cluster_says_so(loaded, tmp_path):
    peers = [summary.summarise(item) for item in loaded]
    item = loaded[0]
    outcome = render.render_cluster(item, ["profile"], ["en", "id"], ["html", "docx"], tmp_path, peers,
                                    resources.templates())
    assert outcome.error is None, outcome.error
    expected = (("en", "Synthetic data: for demonstration", "This cluster is synthetic"),
                ("id", "Data sintetis: hanya untuk demonstrasi", "Sentra ini bersifat sintetis"))
    for lang, cover, note in expected:
        html = render.output_path(tmp_path, item.params, "profile", lang, "html").read_text()
        assert cover in html and note in html
        paragraphs = [p.text for p in Document(
            render.output_path(tmp_path, item.params, "profile", lang, "docx")).paragraphs]
        cover_end = next(i for i, t in enumerate(paragraphs) if cover in t)
        assert cover_end < 10  # on the cover, before the contents
        assert any(note in t for t in paragraphs[cover_end + 1:])
