"""Inputs stay in their tree: a path a params file names, and a params file itself, resolve inside
the params root, are regular files and are read with a size limit; a refusal names file, field and
reason and never quotes the refused file. And YAML that would raise (an impossible date, a number of
5,001 digits, nesting 400 deep, 50 MB) is a problem at its line, not a traceback."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from cluster_reports.batch import scan
from cluster_reports.cli import app
from cluster_reports.inputs import files, params_io
from cluster_reports.inputs.yaml_io import MAX_DEPTH

KEBUMEN = "kebumen-roof-tile"
CSV_LINE = f"firms_csv: {KEBUMEN}.monitoring-firms.csv"
SECRET = ["SECRET-LINE-ONE,of,an,outside,file", "root:SECRET-LINE-TWO"]


@pytest.fixture
def params(tmp_path: Path) -> Path:
    """params/ with the library, the covers' file, Kebumen (all its sidecars, a firm CSV) and Tegal
    metalwork (a cluster file alone)."""
    target = tmp_path / "params"
    shutil.copytree(ROOT / "params" / "programmes", target / "programmes")
    shutil.copy2(ROOT / "params" / "publication.yaml", target / "publication.yaml")
    folder = target / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for path in (ROOT / "params" / "clusters" / "jawa-tengah").iterdir():
        if path.name.startswith((f"{KEBUMEN}.", "tegal-metalwork.")) and "overrides" not in path.name:
            shutil.copy2(path, folder / path.name)
    return target


def cluster_folder(params: Path) -> Path:
    return params / "clusters" / "jawa-tengah"


@contextlib.contextmanager
def no_hang(seconds: int = 10):
    """Fail, rather than hang, when opening a FIFO blocks."""
    def alarm(*_):
        raise TimeoutError(f"blocked for {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def name_csv(params: Path, value: str) -> Path:
    monitoring = cluster_folder(params) / f"{KEBUMEN}.monitoring.yaml"
    text = monitoring.read_text(encoding="utf-8")
    assert CSV_LINE in text
    monitoring.write_text(text.replace(CSV_LINE, f'firms_csv: "{value}"'), encoding="utf-8")
    return monitoring


def lines_of(path: str) -> list[str]:
    """The lines of a refused file, each of which must appear nowhere (NUL-separated for /proc)."""
    with open(path, "rb") as handle:
        raw = handle.read(1 << 16)
    parts = raw.replace(b"\0", b"\n").decode("utf-8", "replace").splitlines()
    return [p for p in parts if len(p.strip()) >= 6]


def outside_file(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(SECRET) + "\n", encoding="utf-8")
    return path


def _absolute(tmp_path, params):
    return "/etc/passwd", "/etc/passwd", "resolves outside the params folder"


def _dotdot(tmp_path, params):
    ups = "../" * (len(cluster_folder(params).parts) + 2)
    return f"{ups}etc/passwd", "/etc/passwd", "resolves outside the params folder"


def _environ(tmp_path, params):
    return "/proc/self/environ", "/proc/self/environ", "resolves outside the params folder"


def _symlink_out(tmp_path, params):
    link = cluster_folder(params) / "linked.csv"
    link.symlink_to(outside_file(tmp_path))
    return "linked.csv", str(link), "resolves outside the params folder"


def _fifo(tmp_path, params):
    fifo = cluster_folder(params) / "firms.csv"
    os.mkfifo(fifo)
    return "firms.csv", None, "is a FIFO, not a regular file"


def _dev_zero(tmp_path, params):
    inside = cluster_folder(params) / "zero.csv"
    inside.symlink_to("/dev/zero")
    return "zero.csv", None, "resolves outside the params folder"


def _device_inside(tmp_path, params):
    # A device node inside the tree cannot be made without root; a FIFO is the same refusal by fstat,
    # and a folder named .csv stands for "not a regular file" at the same place.
    (cluster_folder(params) / "dir.csv").mkdir()
    return "dir.csv", None, "is a folder, not a regular file"


def _too_big(tmp_path, params):
    big = cluster_folder(params) / "big.csv"
    with big.open("wb") as handle:
        handle.write(("\n".join(SECRET) + "\n").encode())
        handle.truncate(files.CSV_LIMIT + 1)  # sparse: 20 MB on paper, nothing on disk
    return "big.csv", str(big), "is 20,971,521 bytes; the limit is 20,971,520 bytes (20 MB)"


def _nul(tmp_path, params):
    return "firms\\0.csv", None, "holds the control character U+0000"


CASES = {"absolute": _absolute, "dotdot": _dotdot, "environ": _environ, "symlink-out": _symlink_out,
         "fifo": _fifo, "dev-zero": _dev_zero, "folder": _device_inside, "too-big": _too_big, "nul": _nul}


@pytest.mark.parametrize("case", list(CASES))
def test_a_firms_csv_outside_or_not_a_file_is_refused_by_name_and_never_quoted(tmp_path, params, case):
    value, content_of, why = CASES[case](tmp_path, params)
    monitoring = name_csv(params, value)
    with no_hang():
        loaded, problems = params_io.check_file(cluster_folder(params) / f"{KEBUMEN}.yaml")
    assert loaded is None
    refusals = [p for p in problems if p.field == "firms_csv"]
    assert len(refusals) == 1, problems
    assert refusals[0].file == str(monitoring)
    assert why in refusals[0].reason
    assert case == "nul" or value.split("/")[-1] in refusals[0].reason
    said = "\n".join(map(str, problems))
    secrets = lines_of(content_of) if content_of else []
    assert all(line not in said for line in [*secrets, *SECRET]), said
    if case == "environ":
        assert all(value not in said for value in os.environ.values() if len(value) > 8)


def test_validate_refuses_etc_passwd_in_one_line_and_echoes_none_of_it(params):
    name_csv(params, "/etc/passwd")
    with no_hang(20):
        result = CliRunner().invoke(app, ["validate", str(params / "clusters")])
    assert result.exit_code == 1
    said = result.stdout + result.stderr
    assert f"{KEBUMEN}.monitoring.yaml: firms_csv: /etc/passwd: resolves outside the params folder" in said
    assert "root:" not in said and "Traceback" not in said
    assert "header" not in said  # the CSV was never read, so no shape of it is reported either


def test_an_accepted_csv_may_quote_its_own_header(params):
    csv_file = cluster_folder(params) / f"{KEBUMEN}.monitoring-firms.csv"
    text = csv_file.read_text(encoding="utf-8")
    csv_file.write_text(text.replace("turnover", "omzet", 1), encoding="utf-8")
    _, problems = params_io.check_file(cluster_folder(params) / f"{KEBUMEN}.yaml")
    assert any(p.field == "header" and "omzet" in p.reason for p in problems), problems


def test_a_csv_inside_the_root_but_outside_its_folder_is_read(params):
    csv_file = cluster_folder(params) / f"{KEBUMEN}.monitoring-firms.csv"
    (params / "data").mkdir()
    csv_file.rename(params / "data" / "firms.csv")
    name_csv(params, "../../data/firms.csv")
    loaded, problems = params_io.check_file(cluster_folder(params) / f"{KEBUMEN}.yaml")
    assert loaded is not None, problems
    assert loaded.monitoring.firms
    # The batch's scan hashes it by the same rule (and does not stumble on a path outside the folder).
    before = scan.scan(params / "clusters").sources
    with (params / "data" / "firms.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    after = scan.scan(params / "clusters").sources
    assert [s.rel for s in before] == [s.rel for s in after] == [f"jawa-tengah/{KEBUMEN}.yaml",
                                                                "jawa-tengah/tegal-metalwork.yaml"]
    assert before[0].input_hash != after[0].input_hash and before[1].input_hash == after[1].input_hash


def test_the_scan_does_not_read_or_hash_a_refused_csv(params, monkeypatch):
    name_csv(params, "/etc/passwd")
    read, real = [], files.read_limited

    def spy(path, *args, **kwargs):
        read.append(str(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(files, "read_limited", spy)
    found = scan.scan(params / "clusters")
    assert len(found.sources) == 2 and not found.problems
    assert read and not [path for path in read if "passwd" in path]


def test_the_params_root_is_the_folder_holding_the_clusters_tree(params):
    assert files.params_root(cluster_folder(params) / "x.yaml") == params
    assert files.params_root(params / "publication.yaml") == params
    assert files.params_root(params / "programmes" / "national.yaml") == params / "programmes"


# Params files themselves: a symlink out of the tree, a loop, a FIFO, a device.

def _loaded_ids(loaded) -> set[str]:
    return {item.params.id for item in loaded}


def test_a_params_file_symlinked_from_outside_is_refused_and_the_rest_load(tmp_path, params):
    outside = tmp_path / "outside" / "evil.yaml"
    outside.parent.mkdir()
    text = (cluster_folder(params) / "tegal-metalwork.yaml").read_text(encoding="utf-8")
    outside.write_text(text.replace("id: tegal-metalwork", "id: evil"), encoding="utf-8")
    (cluster_folder(params) / "evil.yaml").symlink_to(outside)
    loaded, problems = params_io.load_many([params / "clusters"])
    assert _loaded_ids(loaded) == {KEBUMEN, "tegal-metalwork"}
    (problem,) = [p for p in problems if p.file.endswith("evil.yaml")]
    assert problem.field == "(file)" and "resolves outside the params folder" in problem.reason
    found = scan.scan(params / "clusters")
    assert {Path(s.rel).stem for s in found.sources} == {KEBUMEN, "tegal-metalwork"}
    assert [rel for rel, _ in found.problems] == ["jawa-tengah/evil.yaml"]


@pytest.mark.parametrize("kind", ["loop", "fifo", "dev-zero", "sidecar-fifo"])
def test_a_loop_fifo_or_device_in_the_params_folder_is_one_problem_and_others_load(params, kind):
    folder = cluster_folder(params)
    if kind == "loop":
        (folder / "loop.yaml").symlink_to(folder / "loop2.yaml")
        (folder / "loop2.yaml").symlink_to(folder / "loop.yaml")
        bad, why = {"loop.yaml", "loop2.yaml"}, "is a symlink loop"
    elif kind == "fifo":
        os.mkfifo(folder / "fifo.yaml")
        bad, why = {"fifo.yaml"}, "is a FIFO, not a regular file"
    elif kind == "dev-zero":
        (folder / "zero.yaml").symlink_to("/dev/zero")
        bad, why = {"zero.yaml"}, "resolves outside the params folder"
    else:
        os.mkfifo(folder / "tegal-metalwork.strategy.yaml")
        bad, why = {"tegal-metalwork.strategy.yaml"}, "is a FIFO, not a regular file"
    with no_hang():
        loaded, problems = params_io.load_many([params / "clusters"])
        found = scan.scan(params / "clusters")
    errors = [p for p in problems if p.severity == "error"]
    assert {Path(p.file).name for p in errors} == bad and all(why in p.reason for p in errors), errors
    expected = {KEBUMEN} if kind == "sidecar-fifo" else {KEBUMEN, "tegal-metalwork"}
    assert _loaded_ids(loaded) == expected
    if kind == "sidecar-fifo":  # its cluster is scanned (and fails when loaded, saying why)
        assert {Path(s.rel).stem for s in found.sources} == {KEBUMEN, "tegal-metalwork"}
    else:
        assert {Path(s.rel).stem for s in found.sources} == {KEBUMEN, "tegal-metalwork"}
        assert {Path(rel).name for rel, _ in found.problems} == bad
        assert all(why in message for _, message in found.problems)


def test_a_programme_library_file_that_is_a_fifo_is_refused(params):
    os.mkfifo(params / "programmes" / "fifo.yaml")
    with no_hang():
        _, problems = params_io.check_file(cluster_folder(params) / f"{KEBUMEN}.yaml")
    assert any(p.file.endswith("fifo.yaml") and "is a FIFO" in p.reason for p in problems), problems


def test_a_logo_outside_the_root_is_refused(tmp_path, params):
    logo = tmp_path / "outside" / "logo.png"
    logo.parent.mkdir()
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    cluster = cluster_folder(params) / "tegal-metalwork.yaml"
    cluster.write_text(cluster.read_text(encoding="utf-8") + f"\npublication:\n  logo: {logo}\n",
                       encoding="utf-8")
    _, problems = params_io.check_file(cluster)
    assert [(p.field, "resolves outside the params folder" in p.reason) for p in problems] == [
        ("publication.logo", True)], problems


# YAML that used to raise.

def _problems(path: Path) -> list[params_io.Problem]:
    _, problems = params_io.check_file(path)
    return [p for p in problems if p.severity == "error"]


def test_an_impossible_date_is_a_problem_at_its_field_and_line_and_the_rest_still_reports(params):
    monitoring = cluster_folder(params) / f"{KEBUMEN}.monitoring.yaml"
    text = monitoring.read_text(encoding="utf-8")
    text = text.replace("end: 2003-03-31}", "end: 2003-02-30}").replace("plan_year: 2003", "plan_year: 1800")
    monitoring.write_text(text, encoding="utf-8")
    problems = _problems(cluster_folder(params) / f"{KEBUMEN}.yaml")
    fields = {p.field: p for p in problems}
    assert "periods[0].end" in fields and "plan_year" in fields, problems
    assert "date" in fields["periods[0].end"].reason and fields["periods[0].end"].line == 14


def test_an_impossible_date_in_an_overrides_file_is_a_problem_not_a_traceback(params):
    overrides = cluster_folder(params) / "tegal-metalwork.overrides.yaml"
    overrides.write_text("cluster: tegal-metalwork\nharvested: 2003-02-30\n", encoding="utf-8")
    problems = _problems(cluster_folder(params) / "tegal-metalwork.yaml")
    assert problems and all(p.file == str(overrides) for p in problems), problems
    result = CliRunner().invoke(app, ["validate", str(overrides)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "tegal-metalwork.overrides.yaml: harvested" in result.stderr


def test_a_number_of_5001_digits_is_a_problem_at_its_line(params):
    cluster = cluster_folder(params) / "tegal-metalwork.yaml"
    lines = cluster.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if line.startswith("workers: "))
    lines[number] = "workers: " + "9" * 5001
    cluster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = _problems(cluster)
    assert problem.field.startswith(f"line {number + 1},") and "number has 5001 digits" in problem.reason


@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_400_deep_is_a_problem_at_its_line(params, style):
    cluster = cluster_folder(params) / "tegal-metalwork.yaml"
    if style == "flow":
        deep = "deep: " + "[" * 400 + "]" * 400 + "\n"
    else:
        deep = "deep:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(400)) + "  " * 401 + "x: 1\n"
    cluster.write_text(cluster.read_text(encoding="utf-8") + deep, encoding="utf-8")
    (problem,) = _problems(cluster)
    assert f"nested more than {MAX_DEPTH} levels deep" in problem.reason and problem.field.startswith("line ")


@pytest.mark.parametrize("yaml_text, reason", [
    ("x0: &x0 [1]\n" + "".join(f"x{i}: &x{i} [*x{i - 1}]\n" for i in range(1, 400)), "nested more than"),
    ("loop: &a [*a]\n", "holds itself"),
])
def test_aliases_that_nest_deep_or_hold_themselves_are_a_problem(params, yaml_text, reason):
    cluster = cluster_folder(params) / "tegal-metalwork.yaml"
    cluster.write_text(cluster.read_text(encoding="utf-8") + yaml_text, encoding="utf-8")
    (problem,) = _problems(cluster)
    assert reason in problem.reason and problem.field.startswith("line ")


def test_nesting_within_the_limit_reaches_the_schema(params):
    cluster = cluster_folder(params) / "tegal-metalwork.yaml"
    cluster.write_text(cluster.read_text(encoding="utf-8") + "deep: " + "[" * 25 + "]" * 25 + "\n",
                       encoding="utf-8")
    (problem,) = _problems(cluster)
    assert problem.field == "deep" and "unknown key" in problem.reason


def test_a_50_mb_params_file_is_refused_at_once(params):
    cluster = cluster_folder(params) / "tegal-metalwork.yaml"
    with cluster.open("a", encoding="utf-8") as handle:
        handle.write("notes: |\n" + ("  " + "x" * 77 + "\n") * (50 * 1024 * 1024 // 80))
    start = time.perf_counter()
    (problem,) = _problems(cluster)
    assert time.perf_counter() - start < 2
    assert problem.field == "(file)" and problem.reason == "is 50 MB; the limit is 2 MB"


def test_a_growing_file_stops_at_the_limit(tmp_path):
    # /proc files say 0 bytes: the read itself stops past the limit.
    with pytest.raises(files.Refused, match="is larger than the limit of 1 KB"):
        files.read_limited(Path("/proc/self/maps"), 1024)


# A batch: the refusal reaches the index and the manifest as a reason, /etc/passwd never.

def test_a_batch_with_firms_csv_at_etc_passwd_fails_that_cluster_and_leaks_nothing(tmp_path, params):
    import io
    import sqlite3

    from rich.console import Console

    from cluster_reports.batch import manifest
    from cluster_reports.batch import run as batch

    (cluster_folder(params) / "tegal-metalwork.yaml").unlink()  # one cluster: a fast batch
    name_csv(params, "/etc/passwd")
    out = tmp_path / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with no_hang(120):
        code = batch.main(
            batch.BatchOptions(params_dir=params / "clusters", out=out, kinds=["profile"], langs=["en"],
                               formats=["html"], workers=1),
            Console(file=stdout, width=300), Console(file=stderr, width=300))
    said = stdout.getvalue() + stderr.getvalue()
    assert code != 0 and "Traceback" not in said
    assert "firms_csv: /etc/passwd: resolves outside the params folder" in said
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "resolves outside the params folder" in index
    db = sqlite3.connect(f"file:{out / manifest.FILENAME}?mode=ro", uri=True)
    try:
        dumped = "\n".join(db.iterdump())
    finally:
        db.close()
    assert "resolves outside the params folder" in dumped
    passwd = lines_of("/etc/passwd")
    for text in (said, index, dumped):
        assert "root:" not in text and all(line not in text for line in passwd)
