"""Reading YAML and CSV input into validated models, every problem named by file, field and reason."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class ParamsError(Exception):
    """One or more input files are invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# libyaml's parser when PyYAML was built with it: about nine times faster than the pure-Python one,
# which matters when a batch or a peer lookup reads ten thousand params files.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[misc, valid-type]
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


def field_path(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(file)"


def reason(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (misspelt, or not part of the schema)"
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "model_type" and "instance of Text" in error["msg"]:
        return "give this text in both languages, as a mapping with keys 'en' and 'id'"
    if error["type"] == "string_pattern_mismatch" and error["loc"][-1:] in (("id",), ("cluster",)):
        return (
            f"{error['input']!r} is not a valid id: use lower-case letters, digits and single "
            "hyphens (no '/', spaces or dots); it names the cluster's output folder"
        )
    return error["msg"].removeprefix("Value error, ")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParamsError([Problem(str(path), "(file)", f"cannot be read: {exc.strerror}")]) from None


def decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParamsError(
            [Problem(str(path), "(file)", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]
        ) from None


def parse_yaml(raw: bytes, path: Path) -> dict:
    text = decode(raw, path)
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParamsError([Problem(str(path), where, f"malformed YAML: {problem}")]) from None
    if not isinstance(data, dict):
        raise ParamsError([Problem(str(path), "(file)", "must be a YAML mapping of fields")])
    return data


def parse_csv(raw: bytes, path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[dict]:
    """Rows of a CSV file with a header; the header must hold exactly the expected columns, and may
    hold the optional ones too."""
    rows = list(csv.DictReader(io.StringIO(decode(raw, path))))
    header = tuple(rows[0].keys()) if rows else ()
    if rows and not set(columns) <= set(header) <= set(columns) | set(optional):
        raise ParamsError([Problem(
            str(path), "header",
            f"columns are {', '.join(map(str, header))}; expected {', '.join(columns)}"
            + (f" (and optionally {', '.join(optional)})" if optional else ""),
        )])
    return [{k: v for k, v in row.items() if v not in ("", None)} for row in rows]


def validate(model: type[M], data: dict, path: Path, context: dict | None = None) -> M:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ParamsError(
            [Problem(str(path), field_path(e["loc"]), reason(e)) for e in exc.errors()]
        ) from None
