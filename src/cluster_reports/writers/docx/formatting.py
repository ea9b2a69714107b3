"""The visible character formatting of a block's paragraphs, as a short digest.

A reviewer who makes words bold, italic or a link without changing the text has edited the block:
the review compares this digest of what was generated with that of the reviewed copy. It must not
change when a word processor merely re-saves the file. LibreOffice 7.4, for one, writes an empty
``w:rPr`` into every run and paragraph mark, merges neighbouring runs of the same formatting, writes
``w:b w:val="false"`` and values equal to the paragraph style's (colour, size, font), renames the
Hyperlink character style's id (to ``InternetLink``, keeping its name) and renumbers relationships.
So each run's formatting is resolved against the document's defaults and the paragraph's style
chain, and only what differs from the paragraph's own look counts, attributed to the text it covers.

The text read is the text ``blocks.paragraph_text`` reads: tracked deletions are left out,
insertions count, a page or column break is layout.
"""

from __future__ import annotations

import hashlib
import json
import re
import weakref
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from .blocks import is_deleted, paragraphs

_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R_ID = qn("r:id")
_TOGGLES = {  # on/off properties: tag -> key
    qn("w:b"): "bold", qn("w:i"): "italic", qn("w:strike"): "strike", qn("w:dstrike"): "dstrike",
    qn("w:caps"): "caps", qn("w:smallCaps"): "smallcaps", qn("w:vanish"): "hidden",
}
_OFF_WORDS = {"0", "false", "off", "none"}
# What a property is when nothing sets it: an explicit value equal to this is no formatting.
_UNSET = {"bold": False, "italic": False, "strike": False, "dstrike": False, "caps": False,
          "smallcaps": False, "hidden": False, "underline": "none", "background": "none",
          "color": "auto", "vertalign": "baseline"}
# Word's highlight colours: a highlight and a shading of the same colour look the same (and a
# word processor may write one for the other)
_HIGHLIGHTS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF",
    "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF", "darkblue": "000080",
    "darkcyan": "008080", "darkgreen": "008000", "darkmagenta": "800080", "darkred": "800000",
    "darkyellow": "808000", "darkgray": "808080", "lightgray": "C0C0C0",
}
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+(?P<rest>.*)$', re.IGNORECASE | re.DOTALL)

Props = tuple[tuple[str, object], ...]


def fingerprint(elements: list[etree._Element], word) -> str:
    """A sha1 hex digest of the visible character formatting of the paragraphs in ``elements``
    (top-level body elements: paragraphs, tables, content controls), or "" when none of their
    text has any formatting of its own.

    ``word`` is the python-docx ``Document`` (or its document part) the elements belong to: its
    styles say what a paragraph looks like unformatted, its relationships where a link goes.
    Covered: bold, italic, underline and its kind, strike and double strike, caps, small caps,
    hidden text, highlight or shading (as one background colour), font colour, size and (Latin)
    font, character style (by name, when it looks like something), superscript/subscript, and
    links (their address or bookmark), each with the text it covers and that text's place in the
    paragraph. Not covered: paragraph formatting (style, alignment, spacing), the paragraph
    mark's formatting, character spacing, position and borders, complex-script and East Asian
    fonts, language.
    """
    context = _context(word)
    formatted = []
    for index, p in enumerate(p for top in elements for p in paragraphs(top)):
        segments = _segments(p, context)
        if segments:
            formatted.append([index, segments])
    if not formatted:
        return ""
    raw = json.dumps(formatted, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def describe(elements: list[etree._Element], word) -> list[list[tuple[str, dict[str, object]]]]:
    """Per paragraph, the formatted pieces of text and their formatting (what ``fingerprint``
    digests): for tests and for telling a reviewer what differs."""
    context = _context(word)
    return [[(text, dict(props)) for _start, text, props in _segments(p, context)]
            for top in elements for p in paragraphs(top)]


# --- what the document's styles say ------------------------------------------------------------


@dataclass
class _Style:
    name: str
    based_on: str | None
    props: dict[str, object]
    conditional: dict[str, dict[str, object]]  # a table style's: firstRow, band1Horz, ... -> props


@dataclass
class _Context:
    defaults: dict[str, object]
    styles: dict[str, _Style]
    default_paragraph: str | None
    default_character: str | None
    part: weakref.ref  # the document part (its relationships say where a link goes); weak, as
    # the part is the key of the cache this context is kept in
    theme: dict[str, str]  # minor/major -> the theme's Latin font
    chains: dict[tuple, dict[str, object]] = field(default_factory=dict)

    def _lineage(self, style_id: str | None) -> list[_Style]:
        found: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            found.append(self.styles[style_id])
            style_id = self.styles[style_id].based_on
        return found[::-1]

    def chain(self, style_id: str | None, conditions: tuple[str, ...] = ()) -> dict[str, object]:
        """The properties a style gives, its ``basedOn`` ancestors' first (and, for a table
        style, those of the parts of the table a cell is in)."""
        props: dict[str, object] = {}
        lineage = self._lineage(style_id)
        for style in lineage:
            props.update(style.props)
        for condition in conditions:
            for style in lineage:
                props.update(style.conditional.get(condition, {}))
        return props

    def base(self, p_style: str | None, table: tuple[str | None, tuple[str, ...]]) -> dict[str, object]:
        """How the paragraph's text looks with no formatting of its own: the defaults, then
        the table style (LibreOffice writes a header row's bold into its runs), then the
        paragraph style."""
        key = (p_style, table)
        if key not in self.chains:
            props = dict(self.defaults)
            props.update(self.chain(*table))
            known = p_style if p_style in self.styles else self.default_paragraph
            props.update(self.chain(known))
            self.chains[key] = props
        return self.chains[key]

    def style_name(self, style_id: str) -> str:
        style = self.styles.get(style_id)
        return (style.name if style else style_id).strip().lower()


_CONTEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _context(word) -> _Context:
    part = getattr(word, "part", word)
    styles_el = part.styles.element
    try:
        size, context = _CONTEXTS[part]
        if size == len(styles_el):  # else styles were added since: read them again
            return context
    except (KeyError, TypeError):
        pass
    theme = _theme_fonts(part)
    defaults_rpr = styles_el.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    defaults = _props(defaults_rpr, theme)
    styles: dict[str, _Style] = {}
    default_paragraph = default_character = None
    for st in styles_el.iter(qn("w:style")):
        ident = st.get(qn("w:styleId"))
        if not ident:
            continue
        name = st.find(qn("w:name"))
        based = st.find(qn("w:basedOn"))
        styles[ident] = _Style(
            name.get(qn("w:val"), ident) if name is not None else ident,
            based.get(qn("w:val")) if based is not None else None,
            _props(st.find(qn("w:rPr")), theme),
            {c.get(qn("w:type"), ""): _props(c.find(qn("w:rPr")), theme)
             for c in st.findall(qn("w:tblStylePr"))},
        )
        if st.get(qn("w:default")) in ("1", "true", "on"):
            kind = st.get(qn("w:type"))
            if kind == "paragraph":
                default_paragraph = ident
            elif kind == "character":
                default_character = ident
    context = _Context(defaults, styles, default_paragraph, default_character, weakref.ref(part), theme)
    try:
        _CONTEXTS[part] = (len(styles_el), context)
    except TypeError:
        pass
    return context


def _theme_fonts(part) -> dict[str, str]:
    """minor/major -> the theme's Latin font, for ``w:asciiTheme="minorHAnsi"`` and the like."""
    for rel in part.rels.values():
        if rel.reltype == RT.THEME and not rel.is_external:
            try:
                root = etree.fromstring(rel.target_part.blob)
            except etree.XMLSyntaxError:
                return {}
            fonts = {}
            for kind in ("minor", "major"):
                latin = root.find(f".//{{{_A_NS}}}{kind}Font/{{{_A_NS}}}latin")
                if latin is not None and latin.get("typeface"):
                    fonts[kind] = latin.get("typeface")
            return fonts
    return {}


def _on(el: etree._Element) -> bool:
    return (el.get(qn("w:val")) or "true").lower() not in _OFF_WORDS


def _props(rpr: etree._Element | None, theme: dict[str, str]) -> dict[str, object]:
    """The visible properties an ``w:rPr`` sets, values normalised (a tracked change's record of
    the former formatting, ``w:rPrChange``, is not read)."""
    props: dict[str, object] = {}
    if rpr is None:
        return props
    for el in rpr:
        tag = el.tag
        val = el.get(qn("w:val"))
        if tag in _TOGGLES:
            props[_TOGGLES[tag]] = _on(el)
        elif tag == qn("w:u"):
            props["underline"] = (val or "single").lower()
        elif tag == qn("w:highlight"):
            props["highlight"] = (val or "none").lower()
        elif tag == qn("w:shd"):
            fill = (el.get(qn("w:fill")) or "auto").upper()
            pattern = (val or "clear").lower()
            if pattern in ("clear", "nil"):
                props["shading"] = "none" if fill == "AUTO" or pattern == "nil" else fill
            else:
                props["shading"] = f"{pattern}:{(el.get(qn('w:color')) or 'auto').upper()}:{fill}"
        elif tag == qn("w:color"):
            props["color"] = (val or "auto").upper() if (val or "auto").lower() != "auto" else "auto"
        elif tag == qn("w:sz"):
            if val and val.strip().isdigit():
                props["size"] = int(val)
        elif tag == qn("w:rFonts"):
            font = _latin_font(el, theme)
            if font:
                props["font"] = font
        elif tag == qn("w:vertAlign"):
            props["vertalign"] = (val or "baseline").lower()
    return props


def _latin_font(el: etree._Element, theme: dict[str, str]) -> str | None:
    for attr, theme_attr in (("w:ascii", "w:asciiTheme"), ("w:hAnsi", "w:hAnsiTheme")):
        name = el.get(qn(attr))
        if name:
            return name.strip().lower()
        themed = el.get(qn(theme_attr))
        if themed:
            kind = "major" if themed.startswith("major") else "minor"
            return (theme.get(kind) or themed).strip().lower()
    return None


# --- a paragraph's formatted text ----------------------------------------------------------------


def _segments(p: etree._Element, context: _Context) -> list[tuple[int, str, Props]]:
    """The paragraph's pieces of formatted text: (offset in the paragraph's text, text, props).

    Neighbouring text of the same formatting is one piece however it is split into runs, and
    whitespace takes its neighbours' formatting (a bold space between plain words is nothing).
    """
    p_style_el = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    p_style = p_style_el.get(qn("w:val")) if p_style_el is not None else None
    base = context.base(p_style, _table_style(p))
    chars: list[tuple[str, Props]] = []
    fields: list[dict] = []  # open complex fields: their instruction, result part, link
    run_cache: dict[etree._Element, Props] = {}  # holds the runs, so their proxies stay the same
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:fldChar"),
                     qn("w:instrText")):
        if is_deleted(el, p):
            continue
        if el.tag == qn("w:fldChar"):
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                fields.append({"instr": "", "result": False, "link": None})
            elif kind == "separate" and fields:
                fields[-1]["result"] = True
                fields[-1]["link"] = _field_link(fields[-1]["instr"])
            elif kind == "end" and fields:
                fields.pop()
            continue
        if el.tag == qn("w:instrText"):
            if fields and not fields[-1]["result"]:
                fields[-1]["instr"] += el.text or ""
            continue
        if el.tag == qn("w:t"):
            text = el.text or ""
        elif el.tag == qn("w:tab"):
            text = "\t"
        elif el.get(qn("w:type")) in ("page", "column"):
            continue
        else:
            text = "\n"
        if not text:
            continue
        run = el.getparent()
        field_link = next((f["link"] for f in reversed(fields) if f["result"] and f["link"]), None)
        if run not in run_cache or field_link:
            run_cache[run] = _run_props(run, p, base, context, field_link)
        chars.extend((c, run_cache[run]) for c in text)
    return _merge(chars)



_LOOK_BITS = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80, "lastColumn": 0x100,
              "noHBand": 0x200, "noVBand": 0x400}


def _table_style(p: etree._Element) -> tuple[str | None, tuple[str, ...]]:
    """The style of the table a paragraph is in, and the parts of it the paragraph's cell is in
    (first row, banded column...), in the order Word applies their formatting."""
    cell = p.getparent()
    while cell is not None and cell.tag != qn("w:tc"):
        cell = cell.getparent()
    if cell is None:
        return (None, ())
    row = cell.getparent()
    tbl = row.getparent() if row is not None else None
    if tbl is None or tbl.tag != qn("w:tbl"):
        return (None, ())
    style = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
    look = _look(tbl.find(f"{qn('w:tblPr')}/{qn('w:tblLook')}"))
    rows = tbl.findall(qn("w:tr"))
    cells = row.findall(qn("w:tc"))
    r, c = rows.index(row), cells.index(cell)
    conditions = []
    if not look["noVBand"]:
        conditions.append("band1Vert" if (c - look["firstColumn"]) % 2 == 0 else "band2Vert")
    if not look["noHBand"]:
        conditions.append("band1Horz" if (r - look["firstRow"]) % 2 == 0 else "band2Horz")
    if look["firstColumn"] and c == 0:
        conditions.append("firstCol")
    if look["lastColumn"] and c == len(cells) - 1:
        conditions.append("lastCol")
    if look["firstRow"] and r == 0:
        conditions.append("firstRow")
    if look["lastRow"] and r == len(rows) - 1:
        conditions.append("lastRow")
    return (style.get(qn("w:val")) if style is not None else None, tuple(conditions))


def _look(el: etree._Element | None) -> dict[str, int]:
    """A table's ``w:tblLook`` flags (attributes, or the older hex mask; Word's default without one)."""
    mask = 0x04A0
    if el is not None and el.get(qn("w:val")):
        try:
            mask = int(el.get(qn("w:val")), 16)
        except ValueError:
            pass
    flags = {name: int(bool(mask & bit)) for name, bit in _LOOK_BITS.items()}
    if el is not None:
        for name in flags:
            value = el.get(qn(f"w:{name}"))
            if value is not None:
                flags[name] = int(value.lower() in ("1", "true", "on"))
    return flags


def _run_props(run: etree._Element, p: etree._Element, base: dict[str, object],
               context: _Context, field_link: str | None) -> Props:
    """What differs, in this run, from how the paragraph's text looks unformatted."""
    base = _background(base)
    effective = dict(base)
    found: dict[str, object] = {}
    rpr = run.find(qn("w:rPr")) if run.tag == qn("w:r") else None
    if rpr is not None:
        style_el = rpr.find(qn("w:rStyle"))
        style_id = style_el.get(qn("w:val")) if style_el is not None else None
        if style_id and style_id != context.default_character:
            looks = _background(context.chain(style_id))
            effective.update(looks)
            # a style that changes nothing visible (LibreOffice's "Index Link" in a table of
            # contents) is no formatting; one that does is named, as its id may change
            if any(v != base.get(k, _UNSET.get(k)) for k, v in looks.items()):
                found["style"] = context.style_name(style_id)
        effective.update(_props(rpr, context.theme))
    for key, value in _background(effective).items():
        if value != base.get(key, _UNSET.get(key)):
            found[key] = value
    link = field_link or _link(run, p, context)
    if link:
        found["link"] = link
    return tuple(sorted(found.items()))


def _link(run: etree._Element, p: etree._Element, context: _Context) -> str | None:
    """The address or bookmark of the link the run is in (``w:hyperlink`` or ``w:fldSimple``)."""
    ancestor = run.getparent()
    while ancestor is not None and ancestor is not p.getparent():
        if ancestor.tag == qn("w:hyperlink"):
            rid = ancestor.get(_R_ID)
            target = _target(context.part(), rid) if rid else None
            anchor = ancestor.get(qn("w:anchor"))
            if target and anchor:
                return f"{target}#{anchor}"
            return target or (f"#{anchor}" if anchor else None)
        if ancestor.tag == qn("w:fldSimple"):
            link = _field_link(ancestor.get(qn("w:instr")) or "")
            if link:
                return link
        ancestor = ancestor.getparent()
    return None


def _background(props: dict[str, object]) -> dict[str, object]:
    """Highlight and shading as the one colour behind the text (a highlight covers a shading)."""
    if "highlight" not in props and "shading" not in props:
        return props
    props = dict(props)
    highlight = props.pop("highlight", "none")
    shading = props.pop("shading", "none")
    if highlight != "none":
        props["background"] = _HIGHLIGHTS.get(str(highlight), str(highlight))
    else:
        props["background"] = shading
    return props


def _target(part, rid: str) -> str:
    rel = part.rels.get(rid) if part is not None else None
    return rel.target_ref if rel is not None and rel.reltype == RT.HYPERLINK else rid


def _field_link(instruction: str) -> str | None:
    match = _HYPERLINK_FIELD.match(instruction)
    if not match:
        return None
    rest = match["rest"]
    anchor = re.search(r'\\l\s+"([^"]*)"', rest)
    target = re.match(r'\s*"([^"]*)"', rest) or re.match(r"\s*([^\s\\]+)", rest)
    if target and anchor:
        return f"{target.group(1)}#{anchor.group(1)}"
    if anchor:
        return f"#{anchor.group(1)}"
    return target.group(1) if target else None


def _merge(chars: list[tuple[str, Props]]) -> list[tuple[int, str, Props]]:
    """Pieces of formatted text; whitespace belongs to the piece around it when both sides
    agree, and is never a piece of its own."""
    pieces: list[tuple[int, int, Props]] = []  # start, end (exclusive), props; non-space ends
    for i, (c, props) in enumerate(chars):
        if c.isspace():
            continue
        if pieces and pieces[-1][2] == props:
            pieces[-1] = (pieces[-1][0], i + 1, props)
        else:
            pieces.append((i, i + 1, props))
    text = "".join(c for c, _ in chars)
    return [(start, text[start:end], props) for start, end, props in pieces if props]
