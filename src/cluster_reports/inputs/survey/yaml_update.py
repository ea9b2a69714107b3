"""Updating a params YAML file in place with ruamel.yaml: its comments stay, and its layout where
ruamel writes it as it was (the line width is chosen so that the unchanged file comes out the same)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from cluster_reports.inputs.schema import Firm
from cluster_reports.inputs.schema.monitoring import FirmObservation

# Line widths the params files are written with: the project's files keep long lines (4096), some
# sidecars were folded near 120 columns.
WIDTHS = (4096, 120, 118, 110, 100, 80)


def _yaml(width: int) -> YAML:
    y = YAML()
    y.width = width
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    return y


@dataclass
class Document:
    data: CommentedMap
    yaml: YAML
    layout_kept: bool  # False: comments kept, but ruamel lays some lines out otherwise

    def dump(self) -> bytes:
        buffer = io.StringIO()
        self.yaml.dump(self.data, buffer)
        return buffer.getvalue().encode("utf-8")


def load(raw: bytes) -> Document:
    text = raw.decode("utf-8-sig")
    first = None
    for width in WIDTHS:
        y = _yaml(width)
        data = y.load(text)
        buffer = io.StringIO()
        y.dump(data, buffer)
        if buffer.getvalue() == text:
            return Document(y.load(text), y, True)
        first = first or (y, data)
    return Document(first[1], first[0], False)


def _mapping(values: dict, flow: bool) -> CommentedMap:
    entry = CommentedMap()
    for key, value in values.items():
        entry[key] = _mapping(value, True) if isinstance(value, dict) else value
    if flow:
        entry.fa.set_flow_style()
    return entry


def firm_entry(firm: Firm) -> dict:
    """A firm as the params file writes it: the schema's field order, no empty fields."""
    return firm.model_dump(mode="json", exclude_none=True)


def merge_firms(document: CommentedMap, firms: list[Firm]) -> tuple[int, int]:
    """Replace the firms of the same id (or an id-less firm of the same name), add the others."""
    section = document.setdefault("firms", CommentedMap())
    table = section.get("table")
    if table is None:
        table = section["table"] = CommentedSeq()
    by_id = {f.get("id"): n for n, f in enumerate(table) if isinstance(f, dict) and f.get("id")}
    by_name = {f.get("name"): n for n, f in enumerate(table) if isinstance(f, dict) and not f.get("id")}
    # New rows take the style of the table's rows: one line each (flow) as the samples write them.
    flow = not table or any(isinstance(f, CommentedMap) and f.fa.flow_style() for f in table)
    # Names in quotes where the table quotes them (the samples do: a comma would cut a flow mapping).
    quoted = any(isinstance(f, dict) and isinstance(f.get("name"), DoubleQuotedScalarString) for f in table)
    added = updated = 0
    for firm in firms:
        entry = firm_entry(firm)
        if quoted:
            entry["name"] = DoubleQuotedScalarString(entry["name"])
        n = by_id.get(firm.id, by_name.get(firm.name))
        if n is None:
            table.append(_mapping(entry, flow))
            added += 1
        else:
            old = table[n]
            table[n] = _mapping(entry, isinstance(old, CommentedMap) and old.fa.flow_style())
            updated += 1
    return added, updated


def merge_observations(document: CommentedMap, observations: list[FirmObservation]) -> tuple[int, int]:
    """Replace the observation of the same firm and period, add the others."""
    listed = document.get("firms")
    if listed is None:
        listed = document["firms"] = CommentedSeq()
    index = {(o.get("firm"), o.get("period")): n for n, o in enumerate(listed) if isinstance(o, dict)}
    flow = any(isinstance(o, CommentedMap) and o.fa.flow_style() for o in listed)
    quoted = any(isinstance(o, dict) and isinstance(o.get("firm"), DoubleQuotedScalarString) for o in listed)
    added = updated = 0
    for obs in observations:
        values = obs.model_dump(mode="json", exclude_none=True)
        if quoted:
            values["firm"] = DoubleQuotedScalarString(values["firm"])
        entry = _mapping(values, flow)
        n = index.get((obs.firm, obs.period))
        if n is None:
            listed.append(entry)
            added += 1
        else:
            listed[n] = entry
            updated += 1
    return added, updated
