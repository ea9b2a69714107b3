"""Parse the Markdown that templates produce into the document tree.

The dialect is CommonMark with pipe tables, raw HTML off (so user text can never become markup),
``{#id}`` on the line before a heading (``{#id .unnumbered}`` for back matter: references,
annexes), and fenced containers for the document's structures::

    ::: cover            title heading and lines of the cover page; a paragraph after ``{.agency}``,
                         ``{.status}`` or ``{.mark}`` is that part, ``![alt](logo:)`` the logo
    ::: toc              the table of contents
    ::: block ID         a narrative block (a reviewer's unit of editing)
    ::: block ID note KIND   the same, boxed as a note of that kind (the strategy's vision)
    ::: table ID         first paragraph is the caption, then a pipe table
                         ("::: table ID landscape": on a landscape page whatever its width)
    ::: table ID form    the same, a form to fill in by hand (tall rows, all borders)
                         (options may be combined; "narrative=-n" marks the columns flagged
                         "n" as narrative: each body cell of them is a block; "keys=K1,K2,-"
                         gives the rows' keys for their cells' block ids, "-" a row of no
                         narrative cell; without keys the rows are numbered from 1)
    ::: figure ID        first paragraph is the caption, then ![alt](chart:NAME)
    ::: note KIND        a boxed remark
    ::: pagebreak

User values reach the Markdown through ``escape`` (documents/markdown_text.py: the template
environment applies it to every value a template prints or joins to markup), so they are text here
whatever characters they hold.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin

from cluster_reports.documents.markdown_text import escape

from . import tree as d

__all__ = ["MarkdownError", "NO_ROW_KEY", "escape", "parse"]

_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_KINDS = {"cover", "toc", "block", "table", "figure", "note", "pagebreak"}
_ROW_KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
NO_ROW_KEY = "-"  # in ``keys=``: a row none of whose cells is narrative


class MarkdownError(ValueError):
    pass


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(container_plugin, name="div", validate=lambda params, *args: True)
    md.use(attrs_block_plugin)
    # [text]{lang=id}: a text in the other language (escape writes it; user text cannot, its
    # brackets and braces are escaped). No other inline attributes.
    md.use(attrs_plugin, spans=True, after=(), allowed=("lang",))
    return md


_MD = _parser()


def _inline(token: Token) -> d.Inline:
    runs: d.Inline = []
    bold = italic = 0
    href: str | None = None
    lang: str | None = None
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            if child.content:
                runs.append(d.Run(child.content, bool(bold), bool(italic), False, href, lang))
        elif kind == "code_inline":
            runs.append(d.Run(child.content, bool(bold), bool(italic), True, href))
        elif kind == "span_open":
            lang = str(child.attrs["lang"]) if child.attrs.get("lang") in d.LANGUAGE_TAGS else None
        elif kind == "span_close":
            lang = None
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            href = None
        elif kind == "softbreak":
            runs.append(d.Run(" ", bool(bold), bool(italic), False, href, lang))
        elif kind == "hardbreak":
            runs.append(d.Run("\n"))
        elif kind == "image":
            runs.append(d.Run(child.content))
        else:  # html_inline cannot occur (html off); anything else is kept as its text
            runs.append(d.Run(child.content))
    return _merge(runs)


def _merge(runs: d.Inline) -> d.Inline:
    merged: d.Inline = []
    for run in runs:
        last = merged[-1] if merged else None
        if last and run.text != "\n" and last.text != "\n" and (
            (last.bold, last.italic, last.code, last.href, last.lang)
            == (run.bold, run.italic, run.code, run.href, run.lang)
        ):
            merged[-1] = d.Run(last.text + run.text, run.bold, run.italic, run.code, run.href, run.lang)
        else:
            merged.append(run)
    return merged


class _Reader:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, kind: str) -> Token:
        token = self.next()
        if token.type != kind:
            raise MarkdownError(f"expected {kind}, found {token.type} (line {_line(token)})")
        return token


def _line(token: Token) -> str:
    return str(token.map[0] + 1) if token.map else "?"


def _flow(reader: _Reader, closing: str | None) -> list[d.Node]:
    """Read nodes until the closing token type (or the end)."""
    nodes: list[d.Node] = []
    while (token := reader.peek()) is not None:
        if token.type == closing:
            reader.next()
            return nodes
        nodes.append(_node(reader))
    if closing is not None:
        raise MarkdownError(f"unclosed {closing.removesuffix('_close')}")
    return nodes


def _paragraph(reader: _Reader) -> d.Paragraph:
    reader.expect("paragraph_open")
    runs = _inline(reader.expect("inline"))
    reader.expect("paragraph_close")
    return d.Paragraph(runs)


def _list(reader: _Reader) -> d.BulletList:
    opening = reader.next()
    ordered = opening.type == "ordered_list_open"
    closing = "ordered_list_close" if ordered else "bullet_list_close"
    items: list[d.Inline] = []
    depth = 0  # nested lists fold into the item that holds them
    while (token := reader.next()).type != closing or depth:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open" and not depth:
            items.append([])
        elif token.type == "inline":
            if items[-1]:
                items[-1].append(d.Run(" "))
            items[-1].extend(_inline(token))
    return d.BulletList(items, ordered)


def _table(reader: _Reader, table_id: str, caption: d.Inline) -> d.Table:
    reader.expect("table_open")
    header: list[d.Inline] = []
    rows: list[list[d.Inline]] = []
    align: list[str | None] = []
    current: list[d.Inline] | None = None
    in_head = False
    while (token := reader.next()).type != "table_close":
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            current = []
        elif token.type == "tr_close":
            if not in_head:
                rows.append(current or [])
            current = None
        elif token.type in ("th_open", "td_open"):
            if in_head:
                style = str(token.attrs.get("style", ""))
                align.append(style.removeprefix("text-align:") or None)
        elif token.type == "inline":
            cell = _inline(token)
            if in_head:
                header.append(cell)
            elif current is not None:
                current.append(cell)
    return d.Table(table_id, caption, header, rows, align)


def _cell_blocks(table: d.Table, narrative: str, keys: str | None, line: str) -> dict[tuple[int, int], str]:
    """The block ids of a table's narrative cells: the cells of the columns flagged "n" in
    ``narrative``, in the rows that have a key (``keys``, comma-separated; without it every row,
    keyed by its number from 1)."""
    columns = [i for i, flag in enumerate(narrative) if flag == "n"]
    if not columns:
        return {}
    row_keys = keys.split(",") if keys is not None else [str(n) for n in range(1, len(table.rows) + 1)]
    if len(row_keys) != len(table.rows):
        raise MarkdownError(f"table '{table.id}' has {len(table.rows)} rows but {len(row_keys)} "
                            f"row keys (line {line})")
    given = [k for k in row_keys if k != NO_ROW_KEY]
    bad = next((k for k in given if not _ROW_KEY.match(k)), None)
    if bad is not None:
        raise MarkdownError(f"table '{table.id}': row key '{bad}' is not lower-case letters and "
                            f"digits joined by '-' or '_' (line {line})")
    twice = next((k for k in given if given.count(k) > 1), None)
    if twice is not None:
        raise MarkdownError(f"table '{table.id}': row key '{twice}' is used twice (line {line})")
    return {
        (r, c): d.cell_block_id(table.id, key, c)
        for r, key in enumerate(row_keys) if key != NO_ROW_KEY
        for c in columns if c < len(table.rows[r])
    }


def _container(reader: _Reader) -> d.Node:
    opening = reader.next()
    words = opening.info.split()
    kind = words[0] if words else ""
    ident = words[1] if len(words) > 1 else ""
    if kind not in _KINDS:
        raise MarkdownError(f"unknown container '{kind}' (line {_line(opening)})")
    needs_id = kind in ("block", "table", "figure", "note")
    if needs_id and not _ID.match(ident):
        raise MarkdownError(f"container '{kind}' needs an id (line {_line(opening)})")
    if kind == "table":
        options = words[2:]
        values = dict(o.split("=", 1) for o in options if "=" in o)
        flags = [o for o in options if "=" not in o]
        if any(o not in ("form", "landscape") for o in flags) or set(values) - {"narrative", "keys"}:
            raise MarkdownError(f"table '{ident}' takes only the options 'form', 'landscape', "
                                f"'narrative=' and 'keys=' (line {_line(opening)})")
        caption = _paragraph(reader).runs
        node: d.Node = _table(reader, ident, caption)
        node.landscape = "landscape" in flags
        node.form = "form" in flags
        node.cell_blocks = _cell_blocks(node, values.get("narrative", ""), values.get("keys"),
                                        _line(opening))
        reader.expect("container_div_close")
        return node
    if kind == "figure":
        caption = _paragraph(reader).runs
        reader.expect("paragraph_open")
        inline = reader.expect("inline")
        reader.expect("paragraph_close")
        reader.expect("container_div_close")
        image = next((c for c in inline.children or [] if c.type == "image"), None)
        src = str(image.attrs.get("src", "")) if image else ""
        if not src.startswith("chart:"):
            raise MarkdownError(f"figure '{ident}' needs ![alt](chart:NAME) (line {_line(opening)})")
        return d.Figure(ident, caption, src.removeprefix("chart:"), image.content if image else "")
    if kind == "cover":
        return _cover(reader)
    children = _flow(reader, "container_div_close")
    if kind == "toc":
        return d.Toc()
    if kind == "pagebreak":
        return d.PageBreak()
    flow = [c for c in children if isinstance(c, d.Paragraph | d.BulletList)]
    if len(flow) != len(children):
        raise MarkdownError(
            f"{kind} '{ident}' may hold only paragraphs and lists (line {_line(opening)})"
        )
    if kind == "block":
        options = words[2:]
        if options and (len(options) != 2 or options[0] != "note" or not _ID.match(options[1])):
            raise MarkdownError(f"block '{ident}' takes only the option 'note KIND' "
                                f"(line {_line(opening)})")
        return d.Block(ident, flow, options[1] if options else None)
    return d.Note(ident, flow)


_COVER_PARTS = ("agency", "status", "mark")


def _cover(reader: _Reader) -> d.Cover:
    """The cover's parts: its heading is the title, tagged paragraphs the agency, status and mark,
    a ``logo:`` image the logo; other paragraphs are its lines, in order."""
    cover = d.Cover([], [])
    while (token := reader.peek()) is not None and token.type != "container_div_close":
        if token.type != "paragraph_open":
            node = _node(reader)
            if isinstance(node, d.Heading) and not cover.title:
                cover.title = node.runs
            continue
        part = next((c for c in str(token.attrs.get("class", "")).split() if c in _COVER_PARTS), None)
        reader.next()
        inline = reader.expect("inline")
        reader.expect("paragraph_close")
        image = next((c for c in inline.children or [] if c.type == "image"), None)
        if image is not None and str(image.attrs.get("src", "")) == "logo:":
            cover.logo = d.Logo(image.content)
        elif part:
            setattr(cover, part, _inline(inline))
        else:
            cover.lines.append(_inline(inline))
    if reader.peek() is None:
        raise MarkdownError("unclosed container_div")
    reader.next()
    return cover


def _node(reader: _Reader) -> d.Node:
    token = reader.peek()
    assert token is not None
    if token.type == "heading_open":
        reader.next()
        runs = _inline(reader.expect("inline"))
        reader.expect("heading_close")
        ident = token.attrs.get("id")
        numbered = "unnumbered" not in str(token.attrs.get("class", "")).split()
        return d.Heading(int(token.tag[1]), runs, str(ident) if ident else None, numbered)
    if token.type == "paragraph_open":
        return _paragraph(reader)
    if token.type in ("bullet_list_open", "ordered_list_open"):
        return _list(reader)
    if token.type == "container_div_open":
        return _container(reader)
    if token.type == "table_open":
        raise MarkdownError(f"a table must sit in a '::: table ID' container (line {_line(token)})")
    if token.type == "hr":
        reader.next()
        return d.PageBreak()
    raise MarkdownError(f"unsupported Markdown element {token.type} (line {_line(token)})")


def parse(source: str) -> list[d.Node]:
    nodes = _flow(_Reader(_MD.parse(source)), None)
    seen: set[str] = set()
    for node in nodes:
        ident = getattr(node, "id", None)
        if ident:
            if ident in seen:
                raise MarkdownError(f"id '{ident}' is used twice in one document")
            seen.add(ident)
    blocks = {n.id for n in nodes if isinstance(n, d.Block)}
    for node in nodes:  # a caption's or a narrative cell's block id names no other block
        if isinstance(node, d.Table | d.Figure):
            for ident in [node.caption_block, *getattr(node, "cell_blocks", {}).values()]:
                if ident in blocks:
                    raise MarkdownError(f"block id '{ident}' is used twice in one document")
                blocks.add(ident)
    return nodes
