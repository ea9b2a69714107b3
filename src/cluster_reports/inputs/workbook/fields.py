"""The fields of a params file as a workbook lays them out: one walk of the schema, shared by the
writer, the reader and the label catalogue, so that all three name a field by the same path.

A path is the part (``cluster``, ``strategy``, ``plan``, ``monitoring``) and the field names down to
the field, list positions left out: ``cluster.firms.table.workers``. A field is one of:

- ``scalar``: a number, a string, a date, a choice (enum or literal: ``choices`` lists the values),
  a flag (``bool``);
- ``text``: a text in both languages (``Text``, ``Label``), an Indonesian and an English column;
- ``line-or-text``: one line printed so in both languages, or a text in both (``LineOrLabel``);
- ``model``: a nested model, its fields walked under its path;
- ``list``: a list; ``item`` is what it holds (a model, a text or a scalar).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ..schema import ClusterParams, Monitoring, Plan, Strategy
from ..schema.common import Text

# The parts a workbook holds, in the order of the method (profile, strategy, plan, monitoring).
PARTS: dict[str, type[BaseModel]] = {
    "cluster": ClusterParams, "strategy": Strategy, "plan": Plan, "monitoring": Monitoring,
}


@dataclass(frozen=True)
class Field:
    path: str
    kind: str  # scalar | text | line-or-text | model | list
    required: bool
    annotation: object = None  # the bare type of a scalar (int, float, str, bool, date, an Enum ...)
    choices: tuple[str, ...] = ()
    item: Field | None = None  # a list's item (its path is the list's own)
    fields: tuple[Field, ...] = field(default=())  # a model's fields, or a list of models' item's


def _bare(annotation: object) -> tuple[object, bool]:
    """The type under Annotated and Optional, and whether None is allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
            else:
                return annotation, optional  # a union of two forms (LineOrLabel)
        else:
            return annotation, optional


def _is_text(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Text)


def _describe(path: str, annotation: object, required: bool) -> Field:
    bare, _ = _bare(annotation)
    origin = get_origin(bare)
    if origin in (Union, types.UnionType):
        members = [_bare(a)[0] for a in get_args(bare) if a is not type(None)]
        if any(_is_text(m) for m in members) and str in members:
            return Field(path, "line-or-text", required)
        raise TypeError(f"{path}: a union the workbook cannot lay out: {bare!r}")
    if origin is list:
        (inner,) = get_args(bare)
        item = _describe(path, inner, True)
        return Field(path, "list", required, item=item, fields=item.fields)
    if _is_text(bare):
        return Field(path, "text", required)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return Field(path, "model", required, annotation=bare, fields=walk(bare, path))
    if origin is Literal:
        return Field(path, "scalar", required, annotation=str, choices=tuple(map(str, get_args(bare))))
    if isinstance(bare, type) and issubclass(bare, Enum):
        return Field(path, "scalar", required, annotation=bare, choices=tuple(str(m.value) for m in bare))
    return Field(path, "scalar", required, annotation=bare)


def walk(model: type[BaseModel], prefix: str) -> tuple[Field, ...]:
    """The fields of a model, in the schema's order, under ``prefix``."""
    hints = typing.get_type_hints(model, include_extras=True)
    return tuple(
        _describe(f"{prefix}.{name}", hints[name], info.is_required())
        for name, info in model.model_fields.items()
    )


def part_fields(part: str) -> tuple[Field, ...]:
    return walk(PARTS[part], part)


def every_path() -> list[Field]:
    """Every field of every part, depth first, each once (a list's item shares the list's path)."""
    found: list[Field] = []

    def visit(fields: tuple[Field, ...]) -> None:
        for f in fields:
            found.append(f)
            visit(f.fields)

    for part in PARTS:
        visit(part_fields(part))
    return found
