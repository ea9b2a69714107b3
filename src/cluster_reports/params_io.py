"""Reading params files: YAML to validated models, with every problem named by file, field, reason."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from .schema import ClusterParams

PARAMS_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class ParamsError(Exception):
    """One or more params files are invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LoadedParams:
    path: Path
    params: ClusterParams
    sha256: str


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (YAML would keep the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _field_path(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(file)"


def _reason(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (misspelt, or not part of the schema)"
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "model_type" and "instance of Text" in error["msg"]:
        return "give this text in both languages, as a mapping with keys 'en' and 'id'"
    if error["type"] == "string_pattern_mismatch" and error["loc"][-1:] == ("id",):
        return (
            f"{error['input']!r} is not a valid id: use lower-case letters, digits and single "
            "hyphens (no '/', spaces or dots); it names the cluster's output folder"
        )
    msg = error["msg"]
    return msg.removeprefix("Value error, ")


def load_file(path: Path) -> LoadedParams:
    """Read and validate one params file; raise ParamsError naming every problem."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ParamsError([Problem(shown, "(file)", f"cannot be read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParamsError(
            [Problem(shown, "(file)", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]
        ) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParamsError([Problem(shown, where, f"malformed YAML: {problem}")]) from None
    if not isinstance(data, dict):
        raise ParamsError([Problem(shown, "(file)", "must be a YAML mapping of fields")])
    try:
        params = ClusterParams.model_validate(data)
    except ValidationError as exc:
        raise ParamsError(
            [Problem(shown, _field_path(e["loc"]), _reason(e)) for e in exc.errors()]
        ) from None
    return LoadedParams(path, params, hashlib.sha256(raw).hexdigest())


def discover(paths: list[Path]) -> list[Path]:
    """Params files named directly or found below folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in PARAMS_SUFFIXES))
        else:
            found.append(path)
    return found


def load_many(paths: list[Path]) -> tuple[list[LoadedParams], list[Problem]]:
    """Load every file; return the valid ones and the problems of the rest (ids unique across all)."""
    loaded: list[LoadedParams] = []
    problems: list[Problem] = []
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
            loaded.append(load_file(path))
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
