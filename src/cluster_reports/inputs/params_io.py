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

from . import files, programmes, publication, untranslated
from .schema import PARTS, ClusterParams, Monitoring, Plan, Publication, Strategy
from .yaml_io import ParamsError, Problem, parse_yaml, read_bytes, read_csv, validate

__all__ = ["LoadedParams", "ParamsError", "Problem", "check_file", "discover", "find_by_id", "load_file",
           "load_many"]

PARAMS_SUFFIXES = (".yaml", ".yml")
FIRM_COLUMNS = ("firm", "period", "turnover", "channel", "reached_goal")
# The name of an 'other' channel, in both languages: a CSV has no nested fields.
FIRM_NAME_COLUMNS = ("channel_name_en", "channel_name_id")
# What each sidecar is checked against in the cluster's params file: skipped while that file is invalid.
NEEDS_CLUSTER = {
    "strategy": "its cluster id and stakeholders",
    "plan": "its cluster id and the stakeholders it names (lead, partners)",
    "monitoring": "its cluster id and its firms against the firm table",
    "overrides": "its cluster id",
}
NEEDS_PLAN = "its indicators, programmes and plan year against the plan"
NEEDS_LIBRARY = "its library programmes (library:) and what they give (title, objective, budget)"


@dataclass(frozen=True)
class LoadedParams:
    path: Path
    params: ClusterParams
    sha256: str
    parts: dict[str, BaseModel] = field(default_factory=dict)
    part_hashes: dict[str, str] = field(default_factory=dict)
    library: programmes.ProgrammeLibrary | None = None
    # The covers' publication details: the cluster's own block over the project's publication.yaml.
    publication: Publication = field(default_factory=Publication)
    # The programme library this file draws on (given, nearest, or shipped), loaded or not: the
    # profile's findings read it even where there is no plan.
    programmes_folder: Path | None = None

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
    # publication.yaml beside the clusters' folder holds the covers' details, not a cluster.
    return path.suffix in PARAMS_SUFFIXES and path.name.count(".") == 1 and path.name != publication.FILE


def sidecar_path(cluster_file: Path, part: str) -> Path | None:
    for suffix in PARAMS_SUFFIXES:
        candidate = cluster_file.with_name(f"{cluster_file.stem}.{part}{suffix}")
        if candidate.exists() or candidate.is_symlink():  # a loop or broken link: reported when read
            return candidate
    return None


def load_file(path: Path, programmes_dir: Path | None = None) -> LoadedParams:
    """Read and validate a cluster's params file and its sidecars; raise ParamsError naming every problem.

    A plan is checked against the programme library ``programmes_dir``, or the one
    ``programmes.folder_for`` finds for the file."""
    loaded, problems = check_file(path, programmes_dir)
    if loaded is None:
        raise ParamsError(problems)
    return loaded


def check_file(path: Path, programmes_dir: Path | None = None,
               replaced: dict[Path, bytes] | None = None) -> tuple[LoadedParams | None, list[Problem]]:
    """Check a cluster's params file and every sidecar beside it, each as far as it can be checked.

    ``replaced`` gives the bytes of files (by resolved path) as they are about to be written: an
    import checks the whole cluster as it will be, before writing anything.

    A sidecar is checked even when the cluster file (or the plan, or the programme library it refers
    to) is invalid, without the checks that need it: a note says which. The loaded params come back
    only when nothing is wrong (warnings, texts given in one language only, are not wrong); validate
    and render both come here, so they say the same."""
    problems: list[Problem] = []
    params, raw = None, b""
    try:
        raw = _read(replaced, path, root=files.params_root(path))
        params = validate(ClusterParams, parse_yaml(raw, path), path, {"folder": path.parent})
        problems += untranslated.problems(params, path)
    except ParamsError as exc:
        problems += exc.problems
    defaults = None
    try:
        defaults = publication.for_params(path)
    except ParamsError as exc:  # a broken project file is every cluster's problem: render would fail
        problems += exc.problems
    parts: dict[str, BaseModel] = {}
    hashes: dict[str, str] = {}
    library = None
    context: dict = {"cluster": params} if params is not None else {}
    for part, model in PARTS.items():
        side = sidecar_path(path, part)
        if side is None:
            continue
        skipped = [] if params is not None else [(NEEDS_CLUSTER[part], path)]
        if part == "plan":
            folder = programmes.folder_for(path, programmes_dir)
            try:
                library = programmes.load(folder)
                context["library"] = library
            except ParamsError as exc:
                problems += exc.problems
                skipped.append((NEEDS_LIBRARY, folder))
        if part == "monitoring" and "plan" not in parts and (plan_file := sidecar_path(path, "plan")):
            # The cluster has a plan, reported invalid above: the model is not to say it has none.
            skipped.append((NEEDS_PLAN, plan_file))
            context["plan_invalid"] = True
        loaded, digest, found = _load_part(side, model, context, replaced)
        problems += found
        problems += [
            Problem(str(side), "(file)", f"{what} could not be checked: {where} is invalid", severity="note")
            for what, where in skipped
        ]
        if loaded is not None:
            problems += untranslated.problems(loaded, side)
            # Checked as far as it could be: later sidecars are checked against it (monitoring
            # against the plan) even while the cluster file is invalid.
            parts[part] = loaded
            hashes[part] = digest
            context[part] = loaded
    if any(p.severity == "error" for p in problems) or params is None:
        return None, problems
    own = params.publication.anchored(path.parent) if params.publication else Publication()
    cover = own.over(defaults.publication if defaults else None)
    return LoadedParams(path, params, hashlib.sha256(raw).hexdigest(), parts, hashes, library,
                        cover, programmes.folder_for(path, programmes_dir)), problems


def _read(replaced: dict[Path, bytes] | None, path: Path, *args, **kwargs) -> bytes:
    if replaced and (given := replaced.get(path.resolve())) is not None:
        return given
    return read_bytes(path, *args, **kwargs)


def _load_part(
    path: Path, model: type[BaseModel], context: dict, replaced: dict[Path, bytes] | None = None
) -> tuple[BaseModel | None, str, list[Problem]]:
    """A sidecar validated (None when it has problems), the hash of its bytes (and its CSV's), and
    every problem found, those of CSV-given firm observations at their row and column."""
    root = files.params_root(path)
    try:
        raw = _read(replaced, path, root=root)
        data = parse_yaml(raw, path)
    except ParamsError as exc:
        return None, "", exc.problems
    digest = hashlib.sha256(raw)
    problems: list[Problem] = []
    csv_path, rows = None, []
    if model is Monitoring and isinstance(data.get("firms_csv"), str):
        given = files.named(path.parent, data["firms_csv"])
        if data.get("firms"):
            problems.append(Problem(str(path), "firms", "give firms in the YAML or in firms_csv, not both"))
        elif "\0" in data["firms_csv"]:
            pass  # names no file: the schema refuses its control character, once
        else:
            try:  # inside the params root, a regular file, within the limit: else refused, unread
                csv_raw = _read(replaced, given, files.CSV_LIMIT, root, named_by=(path, "firms_csv"))
                firms, rows, shape = read_csv(csv_raw, given, FIRM_COLUMNS, FIRM_NAME_COLUMNS)
                if not any(p.field == "header" for p in shape):
                    csv_path = given
                    digest.update(csv_raw)
            except ParamsError as exc:  # the CSV could not be read or was refused: no rows, no hash of it
                firms, shape = [], exc.problems
            problems += shape
            data["firms"] = [_nest_channel_name(row) for row in firms]
    try:
        validated = validate(model, data, path, context)
    except ParamsError as exc:
        found = exc.problems if csv_path is None else [
            _csv_problem(p, csv_path, rows, data["firms"]) for p in exc.problems]
        return None, "", problems + found
    return (None if problems else validated), digest.hexdigest(), problems


def _nest_channel_name(row: dict) -> dict:
    """channel_name_en / channel_name_id columns -> channel_name: {en, id}, as the YAML gives it."""
    name = {lang: row.pop(f"channel_name_{lang}") for lang in ("en", "id") if f"channel_name_{lang}" in row}
    return {**row, "channel_name": name} if name else row


def _csv_problem(problem: Problem, csv_path: Path, rows: list[int], firms: list[dict]) -> Problem:
    """Point problems of CSV-given firm observations at the CSV's row and column."""
    match = re.fullmatch(r"firms\[(\d+)\]\.?(.*)", problem.field)
    if match:
        row = rows[int(match.group(1))]
        field = match.group(2)
        if field == "channel_name":
            where = f"row {row}, columns {', '.join(repr(c) for c in FIRM_NAME_COLUMNS)}"
        elif field:
            where = f"row {row}, column {field.replace('.', '_')!r}"
        elif column := next((c for c in FIRM_COLUMNS if problem.reason.startswith(f"{c} ")), None):
            where = f"row {row}, column {column!r}"  # a check across the row that names its column
        else:
            where = f"row {row}"
        value = firms[int(match.group(1))].get(field) if field else None
        return Problem(str(csv_path), where, problem.reason, hint=_csv_hint(field, value))
    text = re.sub(r"firms\[(\d+)\]", lambda m: f"{csv_path.name} row {rows[int(m.group(1))]}", problem.reason)
    return Problem(problem.file, problem.field, text, problem.line, problem.hint)


# How a spreadsheet set to Indonesian shows Rupiah: Rp 1.500.000, 1.500.000,00, 1,500,000.
_FORMATTED_RUPIAH = re.compile(r"(Rp\.?\s*)?\d{1,3}([.,]\d{3})+([.,]0{1,2})?(,-)?", re.I)


def _csv_hint(column: str, value) -> str:
    if column == "turnover" and isinstance(value, str) and _FORMATTED_RUPIAH.fullmatch(value.strip()):
        return (f"{value!r} is formatted: write Rupiah as digits only, without thousands separators "
                "or 'Rp' (1500000, not 1.500.000); format the column as a plain number before exporting")
    return ""


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
            found.append(cluster_of(path))
    return list(dict.fromkeys(found))  # a cluster named and also through its sidecar: checked once


def cluster_of(path: Path) -> Path:
    """The cluster file a named sidecar belongs to (a sidecar is checked with its cluster); other
    paths as they are."""
    stem, _, rest = path.name.partition(".")
    part = rest.split(".")[0]
    if path.suffix in PARAMS_SUFFIXES and rest.count(".") == 1 and part in PARTS:
        for suffix in PARAMS_SUFFIXES:
            if path.with_name(stem + suffix).exists():
                return path.with_name(stem + suffix)
    return path


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
    found_files = discover(paths)
    if not found_files:
        problems.append(
            Problem(", ".join(map(str, paths)), "(file)", "no params files (*.yaml) found")
        )
    for path in found_files:
        if not path.exists() and not path.is_symlink():  # a symlink loop is reported when read
            problems.append(Problem(str(path), "(file)", "does not exist"))
            continue
        item, found = check_file(path, programmes_dir)
        problems.extend(found)
        if item is not None:
            loaded.append(item)
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
