"""Where a validation problem sits in a YAML file, and a hint when YAML syntax is the likely cause.

A params file is written by hand: an unquoted comma in a flow mapping (``{name: UD Maju, Jaya}``)
makes ``Jaya`` a key, ``no`` is read as false and ``010`` as the number 8, a tab breaks the
indentation. The schema then reports an unknown key or a wrong type, true but unhelpful; the hint
says what YAML did and how to write the value. Used only once a file has problems: the node tree
costs a second parse.
"""

from __future__ import annotations

import datetime as dt

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Error types where the schema wanted text (or one of a set of words) and got something else.
_TEXT_WANTED = {"string_type", "literal_error", "enum", "string_pattern_mismatch"}
_Nodes = yaml.Node | None


def compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def _child(node: yaml.Node | None, key) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(key node, value node) of a mapping entry, or (None, item) of a sequence item."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return None, node.value[key]
    return None, None


def _walk(root: yaml.Node | None, loc: tuple) -> tuple[int, _Nodes, _Nodes, _Nodes]:
    """How many items of a pydantic location the node tree holds, and the (parent, key node, value
    node) of the last one it holds."""
    parent, key_node, node, depth = None, None, root, 0
    for item in loc:
        found_key, found = _child(node, item)
        if found is None:
            break
        parent, key_node, node, depth = node, found_key, found, depth + 1
    return depth, parent, key_node, node


def locate(root: yaml.Node | None, loc: tuple) -> tuple[_Nodes, _Nodes, _Nodes]:
    """(parent, key node, value node) of a location, or Nones when the file does not hold it."""
    depth, parent, key_node, node = _walk(root, loc)
    return (parent, key_node, node) if root is not None and depth == len(loc) else (None, None, None)


def line_of(root: yaml.Node | None, loc: tuple) -> int | None:
    """The line of a field, or of the mapping that lacks it (a missing field); None when the file does
    not hold it (fields from a CSV, or a whole-file check)."""
    depth, _, key_node, node = _walk(root, loc)
    if root is None or depth == 0 or depth < len(loc) - 1:
        return None
    mark = (key_node or node).start_mark
    return mark.line + 1


def hint(error: dict, root: yaml.Node | None) -> str:
    """A hint for a pydantic error dict when YAML syntax is the likely cause, else ''."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        return _fragment_hint(root, loc)
    if error["type"] in _TEXT_WANTED:
        return _typed_value_hint(error["input"], root, loc)
    return ""


def _fragment_hint(root: yaml.Node | None, loc: tuple) -> str:
    """An unknown key with no value, inside ``{...}``: most likely the tail of a value that an
    unquoted comma split off."""
    parent, key_node, node = locate(root, loc)
    if key_node is None or not isinstance(parent, yaml.MappingNode) or not parent.flow_style:
        return ""
    if not (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value == ""):
        return ""
    entries = parent.value
    index = next(n for n, (k, _) in enumerate(entries) if k is key_node)
    if index > 0 and isinstance(entries[index - 1][1], yaml.ScalarNode):
        previous_key, previous = entries[index - 1][0].value, entries[index - 1][1].value
        whole = f"{previous}, {key_node.value}"
        return (f"this looks like the end of the value of {previous_key!r}, cut off by an unquoted comma "
                f"inside {{...}}: put the value in quotes, {previous_key}: \"{whole}\"")
    return "inside {...}, an unquoted comma ends a value: put a value that holds a comma in quotes"


def _scalar_text(root: yaml.Node | None, loc: tuple) -> str | None:
    _, _, node = locate(root, loc)
    # A plain scalar: its style is None, or "" from libyaml.
    return node.value if isinstance(node, yaml.ScalarNode) and not node.style else None


def _typed_value_hint(value, root: yaml.Node | None, loc: tuple) -> str:
    """YAML read an unquoted value as a boolean, number or date where the schema wants text."""
    written = _scalar_text(root, loc)
    if isinstance(value, bool):
        what = f"the boolean {'true' if value else 'false'}"
    elif isinstance(value, int | float):
        what = f"the number {value}"
    elif isinstance(value, dt.date):
        what = f"the date {value.isoformat()}"
    elif value is None and written == "":
        return "the value is empty (nothing after the colon): write the text, or leave the key out"
    elif value is None:
        what = "an empty value (null)"
    else:
        return ""
    written = written if written else str(value)
    return f"YAML reads {written} unquoted as {what}: put it in quotes to keep it as text, \"{written}\""


def syntax_hint(exc: yaml.YAMLError, text: str) -> str:
    """A hint for a YAML syntax error, from its message and the line it points at."""
    problem = str(getattr(exc, "problem", "") or "")
    mark = getattr(exc, "problem_mark", None)
    lines = text.splitlines()
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "\t" in line[: (mark.column + 1) if mark is not None else None] or "'\\t'" in problem:
        return "a tab: YAML indents with spaces only, replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        return ("a value that holds ': ' (a colon and a space) must be in quotes, "
                "e.g. name: \"PT Sinar: Jaya\"")
    if "did not find expected ',' or '}'" in problem or "did not find expected ',' or ']'" in problem:
        return ("inside {...} or [...], a value that holds a comma, a colon or a bracket must be in quotes, "
                "e.g. {name: \"UD Maju, Jaya\", workers: 3}")
    return ""
