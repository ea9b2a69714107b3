"""Reading YAML and CSV input into validated models, every problem named by file, field and reason."""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from . import files, yaml_hints

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    reason: str
    line: int | None = None  # where the field is in a YAML file, when known
    hint: str = ""  # what in the YAML syntax likely caused it, and how to write it
    severity: str = "error"  # or "note": what could not be checked, said beside the errors that caused it

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        hint = f"; hint: {self.hint}" if self.hint else ""
        return f"{self.file}: {self.field}: {self.reason}{where}{hint}"


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
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"key {key!r} is given twice (first on line {seen[key].line + 1}); YAML would keep only "
                "the last value: remove one, or rename it",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark
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
        return "give this text as a mapping with keys 'en' (English) and 'id' (Indonesian), one at least"
    if error["type"] == "string_pattern_mismatch" and error["loc"][-1:] in (("id",), ("cluster",)):
        return (
            f"{error['input']!r} is not a valid id: use lower-case letters, digits and single "
            "hyphens (no '/', spaces or dots); it names the cluster's output folder"
        )
    return error["msg"].removeprefix("Value error, ")


def read_bytes(path: Path, limit: int = files.YAML_LIMIT, root: Path | None = None,
               named_by: tuple[Path, str] | None = None) -> bytes:
    """An input file's bytes through inputs.files (a regular file, within ``limit``, inside ``root``
    when given). A file another names (``named_by``: that file and its field) is reported there:
    ``monitoring.yaml: firms_csv: /etc/passwd: resolves outside the params folder``."""
    try:
        return files.read_limited(path, limit, root)
    except (files.Refused, OSError) as exc:
        why = exc.reason if isinstance(exc, files.Refused) else f"cannot be read: {exc.strerror}"
        if named_by is None:
            raise ParamsError([Problem(str(path), "(file)", why)]) from None
        raise ParamsError([Problem(str(named_by[0]), named_by[1], f"{path}: {why}")]) from None


def decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParamsError(
            [Problem(str(path), "(file)", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]
        ) from None


def _construct_timestamp(loader: _UniqueKeyLoader, node: yaml.ScalarNode):
    """A date that is no date (2003-02-30) stays the text it is: the schema then names the field and
    its line ("not a valid date"), and the rest of the file is still checked."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


# Python refuses to read an integer of more digits than this (int_max_str_digits): said at its line.
MAX_DIGITS = 4300


def _construct_int(loader: _UniqueKeyLoader, node: yaml.ScalarNode):
    digits = sum(c.isdigit() for c in str(node.value))
    if digits > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"number has {digits} digits; no count or amount has more than {MAX_DIGITS}",
            node.start_mark)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)

# No params file nests deeper than 6 (the programme library); 30 leaves room, and keeps the
# construction and the schema's validation far from Python's recursion limit.
MAX_DEPTH = 30
_NESTED = f"mappings or lists nested more than {MAX_DEPTH} levels deep"


def _children(node: yaml.Node) -> list[yaml.Node]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [n for kv in node.value for n in kv]
    return [n for n in items if isinstance(n, yaml.CollectionNode)]


def _too_deep(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """A node whose mappings and lists nest more than MAX_DEPTH levels, or that holds itself (an
    alias of an enclosing anchor), found without recursion. Heights are kept per node, so a chain of
    aliases (b: [*a], c: [*b], ...) counts as deep as it builds."""
    height: dict[int, int] = {}
    open_: set[int] = set()  # on the path being walked: met again, the node holds itself
    stack = [(root, False)] if isinstance(root, yaml.CollectionNode) else []
    while stack:
        node, closing = stack.pop()
        key = id(node)
        if closing:
            open_.discard(key)
            height[key] = 1 + max((height[id(c)] for c in _children(node)), default=0)
            if height[key] > MAX_DEPTH:
                return node, _NESTED
        elif key in open_:
            return node, "a list or mapping holds itself (an alias of the anchor around it)"
        elif key not in height:
            open_.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node) if id(c) not in height)
    return None


def _load(text: str):
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        deep = _too_deep(node)
        if deep is not None:
            raise yaml.constructor.ConstructorError(None, None, deep[1], deep[0].start_mark)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def parse_yaml(raw: bytes, path: Path) -> dict:
    text = decode(raw, path)
    try:
        data = _load(text)
    except RecursionError:  # the pure-Python composer, deeper than libyaml's own limit of 1000
        raise ParamsError([Problem(str(path), "(file)", f"malformed YAML: {_NESTED}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        if "maximum nesting depth" in problem:  # libyaml's own limit (1000), far past ours
            problem = _NESTED
        raise ParamsError([Problem(str(path), where, f"malformed YAML: {problem}",
                                   hint=yaml_hints.syntax_hint(exc, text))]) from None
    if not isinstance(data, dict):
        raise ParamsError([Problem(str(path), "(file)", "must be a YAML mapping of fields")])
    return data


def read_csv(
    raw: bytes, path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[list[dict], list[int], list[Problem]]:
    """The rows of a CSV file (empty cells left out), the spreadsheet row number of each (the header
    is row 1; blank rows count, as a spreadsheet shows them), and the problems of its shape."""
    reader = csv.reader(io.StringIO(decode(raw, path)))
    try:
        records = list(reader)
    except csv.Error as exc:
        return [], [], [Problem(str(path), f"row {reader.line_num}", f"is not readable as CSV: {exc}")]
    header = tuple(records[0]) if records else ()
    if records and not set(columns) <= set(header) <= set(columns) | set(optional):
        return [], [], [Problem(
            str(path), "header",
            f"columns are {', '.join(map(str, header))}; expected {', '.join(columns)}"
            + (f" (and optionally {', '.join(optional)})" if optional else ""),
        )]
    rows, numbers, problems = [], [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(Problem(
                str(path), f"row {number}",
                f"has {len(record)} values but the header has {len(header)} columns",
                hint="a value that holds a comma must be in double quotes, e.g. \"UD Maju, Jaya\"",
            ))
            continue
        rows.append({k: v for k, v in zip(header, record, strict=False) if v != ""})
        numbers.append(number)
    return rows, numbers, problems


def validate(model: type[M], data: dict, path: Path, context: dict | None = None) -> M:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ParamsError(problems_of(exc, path)) from None


# "firms[3]: ..." or "[0]: ...": a model check that names, in one message, several fields it found wrong.
_PREFIXED = re.compile(r"^((?:[A-Za-z_]\w*|\[\d+\])(?:\.[A-Za-z_]\w*|\[\d+\])*): (.+)$", re.S)


def _join(base: tuple, prefix: str) -> tuple:
    """A location below ``base`` from a field path such as ``firms[3].turnover`` or ``[0]``."""
    parts = [int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[\]]+", prefix)]
    return (*base, *parts)


def _split(loc: tuple, message: str) -> list[tuple[tuple, str]]:
    """One (location, reason) per problem of a message that joins several with '; '."""
    parts = message.split("; ")
    found = [_PREFIXED.match(part) for part in parts]
    # Split when every part after the first names its field (the first may be about the whole), or
    # when a lone message names one; other text with '; ' in it stays one reason.
    named = all(found[1:]) if len(parts) > 1 else bool(found[0])
    if not named:
        return [(loc, message)]
    return [(_join(loc, m.group(1)), m.group(2)) if m else (loc, part)
            for part, m in zip(parts, found, strict=True)]


def problems_of(exc: ValidationError, path: Path) -> list[Problem]:
    """Every problem of a validation error, one per field, with its line and a hint for YAML files."""
    root = None
    if path.suffix in (".yaml", ".yml"):
        try:  # read again as the file was (it was read and parsed: no limit or refusal is new here)
            root = yaml_hints.compose(decode(files.read_limited(path, files.YAML_LIMIT), path))
        except (files.Refused, OSError, ParamsError):
            root = None
    errors = exc.errors()
    missing: dict[tuple, list[str]] = {}
    for error in errors:
        if error["type"] == "missing" and error["loc"] and isinstance(error["loc"][-1], str):
            missing.setdefault(tuple(error["loc"][:-1]), []).append(error["loc"][-1])
    problems = []
    for error in errors:
        loc = tuple(error["loc"])
        hint = yaml_hints.hint(error, root)
        if not hint and error["type"] == "extra_forbidden" and loc:
            # A misspelt key: the required field it was meant to be is reported missing beside it.
            close = difflib.get_close_matches(str(loc[-1]), missing.get(loc[:-1], []), n=1, cutoff=0.75)
            hint = f"did you mean {close[0]!r}? it is required and missing" if close else ""
        for where, text in _split(loc, reason(error)):
            problems.append(Problem(str(path), field_path(where), text, line=yaml_hints.line_of(root, where),
                                    hint=hint if where == loc else ""))
    return problems
