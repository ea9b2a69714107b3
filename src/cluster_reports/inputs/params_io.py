"""Reading a cluster's params: its file, the sidecar files beside it, and the programme library.

A cluster is ``<province>/<cluster-id>.yaml``; the later steps of the method add sidecar files
beside it (``<cluster-id>.strategy.yaml``, ``.plan.yaml``, ``.monitoring.yaml``), validated against
the cluster (stakeholders, firms), the programme library and each other (monitoring against the
plan). Every problem is named by file, field and reason.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from . import programmes
from .schema import PARTS, ClusterParams, Monitoring, Plan, Strategy
from .yaml_io import ParamsError, Problem, parse_csv, parse_yaml, read_bytes, validate

__all__ = ["LoadedParams", "ParamsError", "Problem", "discover", "find_by_id", "load_file", "load_many"]

PARAMS_SUFFIXES = (".yaml", ".yml")
FIRM_COLUMNS = ("firm", "period", "turnover", "channel", "reached_goal")
# The name of an 'other' channel, in both languages: a CSV has no nested fields.
FIRM_NAME_COLUMNS = ("channel_name_en", "channel_name_id")


@dataclass(frozen=True)
class LoadedParams:
    path: Path
    params: ClusterParams
    sha256: str
    parts: dict[str, BaseModel] = field(default_factory=dict)
    part_hashes: dict[str, str] = field(default_factory=dict)
    library: programmes.ProgrammeLibrary | None = None

    @property
    def strategy(self) -> Strategy | None:
        return self.parts.get("strategy")  # type: ignore[return-value]

    @property
    def plan(self) -> Plan | None:
        return self.parts.get("plan")  # type: ignore[return-value]

    @property
    def monitoring(self) -> Monitoring | None:
        return self.parts.get("monitoring")  # type: ignore[return-value]


def _is_cluster_file(path: Path) -> bool:
    return path.suffix in PARAMS_SUFFIXES and path.name.count(".") == 1


def sidecar_path(cluster_file: Path, part: str) -> Path | None:
    for suffix in PARAMS_SUFFIXES:
        candidate = cluster_file.with_name(f"{cluster_file.stem}.{part}{suffix}")
        if candidate.exists():
            return candidate
    return None


def load_file(path: Path, programmes_dir: Path | None = None) -> LoadedParams:
    """Read and validate a cluster's params file and its sidecars; raise ParamsError naming every problem.

    A plan is checked against the programme library ``programmes_dir``, or the one
    ``programmes.folder_for`` finds for the file."""
    raw = read_bytes(path)
    params = validate(ClusterParams, parse_yaml(raw, path), path)
    parts: dict[str, BaseModel] = {}
    hashes: dict[str, str] = {}
    problems: list[Problem] = []
    library = None
    context: dict = {"cluster": params}
    for part, model in PARTS.items():
        side = sidecar_path(path, part)
        if side is None:
            continue
        try:
            if part == "plan":
                library = programmes.load(programmes.folder_for(path, programmes_dir))
                context["library"] = library
            loaded, digest = _load_part(side, model, context)
        except ParamsError as exc:
            problems += exc.problems
            continue
        parts[part] = loaded
        hashes[part] = digest
        context[part] = loaded
    if problems:
        raise ParamsError(problems)
    return LoadedParams(path, params, hashlib.sha256(raw).hexdigest(), parts, hashes, library)


def _load_part(path: Path, model: type[BaseModel], context: dict) -> tuple[BaseModel, str]:
    raw = read_bytes(path)
    data = parse_yaml(raw, path)
    digest = hashlib.sha256(raw)
    csv_path = None
    if model is Monitoring and isinstance(data.get("firms_csv"), str):
        csv_path = path.parent / data["firms_csv"]
        if data.get("firms"):
            raise ParamsError(
                [Problem(str(path), "firms", "give firms in the YAML or in firms_csv, not both")]
            )
        if not csv_path.is_file():
            raise ParamsError([Problem(str(path), "firms_csv", f"no such file: {csv_path}")])
        csv_raw = read_bytes(csv_path)
        digest.update(csv_raw)
        data["firms"] = [_nest_channel_name(row) for row in parse_csv(csv_raw, csv_path, FIRM_COLUMNS,
                                                                      FIRM_NAME_COLUMNS)]
    try:
        return validate(model, data, path, context), digest.hexdigest()
    except ParamsError as exc:
        if csv_path is None:
            raise
        raise ParamsError([_csv_problem(p, csv_path) for p in exc.problems]) from None


def _nest_channel_name(row: dict) -> dict:
    """channel_name_en / channel_name_id columns -> channel_name: {en, id}, as the YAML gives it."""
    name = {lang: row.pop(f"channel_name_{lang}") for lang in ("en", "id") if f"channel_name_{lang}" in row}
    return {**row, "channel_name": name} if name else row


def _csv_problem(problem: Problem, csv_path: Path) -> Problem:
    """Point problems of CSV-given firm observations at the CSV row (header is row 1)."""
    match = re.match(r"firms\[(\d+)\]\.?(.*)", problem.field)
    if match:
        row, column = int(match.group(1)) + 2, match.group(2) or "(row)"
        return Problem(str(csv_path), f"row {row}, column {column}", problem.reason)
    text = re.sub(r"firms\[(\d+)\]", lambda m: f"{csv_path.name} row {int(m.group(1)) + 2}", problem.reason)
    return Problem(problem.file, problem.field, text)


def discover(paths: list[Path]) -> list[Path]:
    """Cluster params files named directly or found below folders (not sidecars, not the library)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.rglob("*")
                    if _is_cluster_file(p) and programmes.FOLDER not in p.relative_to(path).parts[:-1]
                )
            )
        else:
            found.append(path)
    return found


def _stray_sidecars(paths: list[Path]) -> list[Problem]:
    """Sidecar-looking files with an unknown part name or no cluster file beside them."""
    problems = []
    for root in (p for p in paths if p.is_dir()):
        for side in sorted(root.rglob("*")):
            if side.suffix not in PARAMS_SUFFIXES or side.name.count(".") != 2:
                continue
            stem, part = side.name.split(".")[:2]
            if part not in PARTS:
                problems.append(Problem(
                    str(side), "(file)",
                    f"unknown kind of params file {part!r}: a cluster's files are <id>.yaml and "
                    f"<id>.<{'|'.join(PARTS)}>.yaml",
                ))
            elif not any(side.with_name(stem + s).exists() for s in PARAMS_SUFFIXES):
                problems.append(Problem(str(side), "(file)", f"no cluster params file {stem}.yaml beside it"))
    return problems


def load_many(
    paths: list[Path], programmes_dir: Path | None = None
) -> tuple[list[LoadedParams], list[Problem]]:
    """Load every cluster; return the valid ones and the problems of the rest (ids unique across all)."""
    loaded: list[LoadedParams] = []
    problems: list[Problem] = _stray_sidecars(paths)
    files = discover(paths)
    if not files:
        problems.append(
            Problem(", ".join(map(str, paths)), "(file)", "no params files (*.yaml) found")
        )
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), "(file)", "does not exist"))
            continue
        try:
            loaded.append(load_file(path, programmes_dir))
        except ParamsError as exc:
            problems.extend(exc.problems)
    # A duplicated id makes every file that claims it unusable: which one is meant is unknown.
    by_id: dict[str, list[LoadedParams]] = {}
    for item in loaded:
        by_id.setdefault(item.params.id, []).append(item)
    unique: list[LoadedParams] = []
    for cluster_id, items in by_id.items():
        if len(items) == 1:
            unique.append(items[0])
            continue
        for item in items:
            others = ", ".join(str(o.path) for o in items if o is not item)
            problems.append(
                Problem(str(item.path), "id", f"duplicate id {cluster_id!r}, also used by {others}")
            )
    return unique, problems


def find_by_id(cluster_id: str, root: Path) -> Path:
    """The params file of a cluster id below a params folder."""
    for path in discover([root]):
        if path.stem == cluster_id:
            return path
    raise ParamsError([Problem(str(root), "id", f"no params file for cluster {cluster_id!r}")])
