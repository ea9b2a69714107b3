"""Updating one list of a params YAML file by rewriting only its items' text: every other byte of
the file, comments included, stays as it was. The items are found with libyaml's node marks, so a
file of thousands of firms is updated in well under a second (ruamel.yaml's round trip, which
``yaml_update`` uses where there is no list yet, takes seconds)."""

from __future__ import annotations

import functools
import json
import re

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A text YAML reads back as the same text when written bare inside {...}: no flow indicators,
# no comment or mapping signs, not a number, boolean or null.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._()/+\-]*")
_SPECIAL = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


@functools.lru_cache(maxsize=2)
def compose(text: str) -> yaml.Node | None:
    """The file's node tree, composed once for both what the import reads (``data_of``) and where
    it splices (``find_sequence``): composing a 2,000-firm file is most of an import's time."""
    return yaml.compose(text, Loader=_Loader)


def data_of(text: str) -> object:
    node = compose(text)
    if node is None:
        return None
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def find_sequence(text: str, path: tuple[str, ...]) -> yaml.SequenceNode | None:
    node = compose(text)
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    return node if isinstance(node, yaml.SequenceNode) and node.value else None


def scalar(value: object, quote: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if not quote and _PLAIN.fullmatch(text) and text.lower() not in _SPECIAL and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def flow(entry: dict, quoted: frozenset[str] = frozenset()) -> str:
    items = []
    for key, value in entry.items():
        said = flow(value) if isinstance(value, dict) else scalar(value, key in quoted)
        items.append(f"{key}: {said}")
    return "{" + ", ".join(items) + "}"


def block(entry: dict, indent: int, quoted: frozenset[str] = frozenset()) -> str:
    """A mapping in block style, its first line to follow "- " and the others at ``indent``; the
    params' values are one line each (Line, Label), nested one level at most (products: {en, id})."""
    lines = []
    for key, value in entry.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {scalar(v)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {scalar(value, key in quoted)}")
    return ("\n" + " " * indent).join(lines)


def _end(node: yaml.Node) -> yaml.Mark:
    """Where an item's own text ends: a block mapping's end mark lies at the next token, past any
    comment lines after it, so its last value's end is taken instead."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _end(node.value[-1])
    return node.end_mark


def splice(text: str, sequence: yaml.SequenceNode, replace: dict[int, dict], add: list[dict],
           quoted: frozenset[str] = frozenset()) -> str:
    """The text with items ``replace`` (position -> new entry) rewritten and ``add`` appended, each in
    the style of the item it replaces (new ones in that of the last item)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def at(mark: yaml.Mark) -> int:
        return offsets[mark.line] + mark.column

    def render(entry: dict, like: yaml.Node) -> str:
        return flow(entry, quoted) if like.flow_style else block(entry, like.start_mark.column, quoted)

    pieces = []
    cursor = 0
    for n, item in enumerate(sequence.value):
        if n in replace:
            pieces.append(text[cursor:at(item.start_mark)])
            pieces.append(render(replace[n], item))
            cursor = at(_end(item))
    last = sequence.value[-1]
    end = at(_end(last))
    pieces.append(text[cursor:end])
    column = last.start_mark.column
    dash = lines[last.start_mark.line][:column].rstrip()  # the "    -" before the item
    prefix = dash + " " * (column - len(dash))
    for entry in add:
        pieces.append("\n" + prefix + render(entry, last))
    pieces.append(text[end:])
    return "".join(pieces)
