"""Build the Word reference document (``templates/reference.docx``): styles, page, header, footer.

The Word writer opens this document, empties its body and writes the report into it, so every look
of the Word output lives here and can be restyled in Word without touching Python. This builder
makes the shipped version from python-docx's default template::

    python -m cluster_reports.writers.docx.reference templates/reference.docx

Styles defined (or redefined) here and used by the writer: Normal, Title, Subtitle, Heading 1-3,
TOC Heading, TOC 1-3, List Bullet, List Number, Caption, Note, Table Text, Cluster Table (a table
style), Hyperlink and Code (character styles), Header, Footer. Page: A4 portrait, 2.5 cm margins;
header: the document title (a ``TITLE`` field) right-aligned in small grey type; footer: the page
number (``PAGE``) centred; no header or footer on the cover page, which is a section of its own
(the writer numbers the pages after it from 1).
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from cluster_reports.atomic import write_atomic

from .fields import add_field

FONT = "Arial"  # Liberation Sans (metric-compatible) where Arial is not installed
MONO = "Courier New"  # Liberation Mono likewise
INK = "1F2A30"
ACCENT = "1F6F78"  # the charts' accent colour
ACCENT_DARK = "164F56"
GREY = "6B7780"
RULE = "C5D3D6"
HEAD_FILL = "DCEBEC"
NOTE_FILL = "EEF5F6"

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.5)
TEXT_WIDTH_TWIPS = 9070  # 21 cm - 2 x 2.5 cm


def _rpr(size: float | None = None, color: str | None = None, bold: bool = False,
         italic: bool = False, font: str | None = None, extra: str = "") -> str:
    parts = []
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    parts.append(extra)
    if size:
        half_points = round(size * 2)
        parts.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>"


def _spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    line_attrs = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{line_attrs}/>'


def _style(styles, style_type: str, style_id: str, name: str, *, based_on: str | None = "Normal",
           next_style: str | None = None, ppr: str = "", rpr: str = "", extra: str = "",
           custom: bool = False, priority: int | None = None, keep: tuple[str, ...] = ()) -> None:
    """Create or replace the style ``style_id``: its formatting is entirely what is given here.

    ``keep`` names child elements of an existing definition to carry over (e.g. ``w:numPr``
    inside ``w:pPr`` is kept by passing "numPr").
    """
    old = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    kept = ""
    if old is not None and keep:
        from lxml import etree

        for tag in keep:
            for el in old.iter(qn(f"w:{tag}")):
                kept += etree.tostring(el, encoding="unicode")
    if kept and ppr.startswith("<w:pPr>"):
        ppr = "<w:pPr>" + kept + ppr.removeprefix("<w:pPr>")
    elif kept:
        ppr = f"<w:pPr>{kept}</w:pPr>"
    custom_attr = ' w:customStyle="1"' if custom else ""
    xml = (
        f'<w:style {nsdecls("w")} w:type="{style_type}" w:styleId="{style_id}"{custom_attr}>'
        f'<w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
        + (f'<w:next w:val="{next_style}"/>' if next_style else "")
        + (f'<w:uiPriority w:val="{priority}"/>' if priority is not None else "")
        + "<w:qFormat/>"
        + ppr + rpr + extra
        + "</w:style>"
    )
    new = parse_xml(xml)
    if old is not None:
        old.addprevious(new)
        old.getparent().remove(old)
    else:
        styles.append(new)


def _define_styles(document: docx.document.Document) -> None:
    styles = document.styles.element

    # Explicit fonts everywhere: drop the theme font references (Calibri/Cambria) of the template.
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        if not rfonts.attrib:
            rfonts.getparent().remove(rfonts)
    for lang in list(styles.iter(qn("w:lang"))):  # the writer sets the language on docDefaults
        if lang.getparent().getparent().tag != qn("w:rPrDefault"):
            lang.getparent().remove(lang)

    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().remove(defaults)
    styles.insert(0, parse_xml(
        f"<w:docDefaults {nsdecls('w')}>"
        "<w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsiaTheme="minorEastAsia"/>'
        '<w:sz w:val="21"/><w:szCs w:val="21"/>'
        '<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault>"
        # Body spacing sits in the defaults (not in Normal) so table styles can override it.
        # Widow and orphan control: no paragraph leaves a single line alone on a page.
        f"<w:pPrDefault><w:pPr><w:widowControl/>{_spacing(0, 120, 276)}</w:pPr></w:pPrDefault>"
        "</w:docDefaults>"
    ))

    _style(styles, "paragraph", "Normal", "Normal", based_on=None,
           rpr=_rpr(color=INK), extra="")
    styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']").set(qn("w:default"), "1")

    headings = [(1, 16, 360, 120, ACCENT_DARK), (2, 13, 280, 80, ACCENT), (3, 11, 220, 60, ACCENT)]
    for level, size, before, after, color in headings:
        _style(styles, "paragraph", f"Heading{level}", f"heading {level}", next_style="Normal",
               priority=9,
               ppr=f"<w:pPr><w:keepNext/><w:keepLines/>{_spacing(before, after)}"
                   f'<w:outlineLvl w:val="{level - 1}"/></w:pPr>',
               rpr=_rpr(size, color, bold=True))

    _style(styles, "paragraph", "Title", "Title", next_style="Subtitle", priority=10,
           ppr="<w:pPr><w:pBdr>"
               f'<w:bottom w:val="single" w:sz="12" w:space="8" w:color="{ACCENT}"/></w:pBdr>'
               f"{_spacing(2880, 360, 240)}<w:contextualSpacing/></w:pPr>",
           rpr=_rpr(28, ACCENT_DARK, bold=True, extra='<w:kern w:val="28"/>'))
    _style(styles, "paragraph", "Subtitle", "Subtitle", next_style="Normal", priority=11,
           ppr=f"<w:pPr>{_spacing(0, 120, 264)}</w:pPr>", rpr=_rpr(13, GREY))

    _style(styles, "paragraph", "TOCHeading", "TOC Heading", based_on="Heading1",
           next_style="Normal", priority=39,
           ppr=f'<w:pPr>{_spacing(0, 240)}<w:outlineLvl w:val="9"/></w:pPr>')
    for level in (1, 2, 3):
        indent = (level - 1) * 284
        _style(styles, "paragraph", f"TOC{level}", f"toc {level}", next_style="Normal",
               priority=39,
               ppr="<w:pPr><w:tabs>"
                   f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs>'
                   f'{_spacing(120 if level == 1 else 0, 60)}<w:ind w:left="{indent}"/></w:pPr>',
               rpr=_rpr(bold=level == 1))

    for style_id, name in (("ListBullet", "List Bullet"), ("ListNumber", "List Number")):
        _style(styles, "paragraph", style_id, name, priority=99, keep=("numPr",),
               ppr=f"<w:pPr>{_spacing(0, 60)}</w:pPr>")

    _style(styles, "paragraph", "Caption", "caption", next_style="Normal", priority=35,
           ppr=f"<w:pPr>{_spacing(120, 120, 240)}</w:pPr>",
           rpr=_rpr(9, ACCENT_DARK, bold=True))

    _style(styles, "paragraph", "Note", "Note", custom=True, next_style="Normal",
           # borders in the fill colour pad the box; consecutive Note paragraphs share one box
           ppr="<w:pPr><w:pBdr>"
               f'<w:top w:val="single" w:sz="4" w:space="5" w:color="{NOTE_FILL}"/>'
               f'<w:left w:val="single" w:sz="24" w:space="8" w:color="{ACCENT}"/>'
               f'<w:bottom w:val="single" w:sz="4" w:space="5" w:color="{NOTE_FILL}"/>'
               f'<w:right w:val="single" w:sz="4" w:space="5" w:color="{NOTE_FILL}"/>'
               "</w:pBdr>"
               f'<w:shd w:val="clear" w:color="auto" w:fill="{NOTE_FILL}"/>'
               f'{_spacing(80, 80, 264)}<w:ind w:left="227" w:right="113"/></w:pPr>',
           rpr=_rpr(10))

    _style(styles, "paragraph", "TableText", "Table Text", custom=True,
           ppr=f"<w:pPr>{_spacing(30, 30, 240)}</w:pPr>", rpr=_rpr(9.5))

    _style(styles, "paragraph", "Header", "header", priority=99,
           ppr='<w:pPr><w:tabs><w:tab w:val="center" w:pos="4535"/>'
               f'<w:tab w:val="right" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs>'
               f'{_spacing(0, 0, 240)}<w:jc w:val="right"/></w:pPr>',
           rpr=_rpr(8, GREY))
    _style(styles, "paragraph", "Footer", "footer", priority=99,
           ppr='<w:pPr><w:tabs><w:tab w:val="center" w:pos="4535"/>'
               f'<w:tab w:val="right" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs>'
               f'{_spacing(0, 0, 240)}<w:jc w:val="center"/></w:pPr>',
           rpr=_rpr(8, GREY))

    _style(styles, "character", "Hyperlink", "Hyperlink", based_on="DefaultParagraphFont",
           priority=99, rpr=_rpr(color=ACCENT, extra='<w:u w:val="single"/>'))
    _style(styles, "character", "Code", "Code", based_on="DefaultParagraphFont", custom=True,
           rpr=_rpr(9.5, font=MONO))

    border = f'w:sz="4" w:space="0" w:color="{RULE}"'
    strong = f'w:sz="8" w:space="0" w:color="{ACCENT}"'
    _style(styles, "table", "ClusterTable", "Cluster Table", based_on="TableNormal",
           custom=True, priority=59,
           ppr=f"<w:pPr>{_spacing(30, 30, 240)}</w:pPr>",
           rpr=_rpr(9.5),
           extra=(
               "<w:tblPr>"
               '<w:tblInd w:w="0" w:type="dxa"/>'
               "<w:tblBorders>"
               f'<w:top w:val="single" {strong}/><w:left w:val="nil"/>'
               f'<w:bottom w:val="single" {strong}/><w:right w:val="nil"/>'
               f'<w:insideH w:val="single" {border}/><w:insideV w:val="single" {border}/>'
               "</w:tblBorders>"
               '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
               '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
               "</w:tblPr>"
               '<w:tblStylePr w:type="firstRow">'
               f"{_rpr(color=ACCENT_DARK, bold=True)}"
               "<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>"
               "<w:tcPr><w:tcBorders>"
               f'<w:bottom w:val="single" {strong}/>'
               "</w:tcBorders>"
               f'<w:shd w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/>'
               '<w:vAlign w:val="bottom"/>'
               "</w:tcPr>"
               "</w:tblStylePr>"
           ))


def _numbering(document: docx.document.Document) -> None:
    """List Bullet and List Number: a plain bullet (no Symbol font) and 0.63 cm indents."""
    numbering = document.part.numbering_part.element
    for abstract in numbering.iterchildren(qn("w:abstractNum")):
        level = abstract.find(qn("w:lvl"))
        link = level.find(qn("w:pStyle")) if level is not None else None
        if link is None or link.get(qn("w:val")) not in ("ListBullet", "ListNumber"):
            continue
        p_pr = level.find(qn("w:pPr"))
        for tab in p_pr.iter(qn("w:tab")):
            tab.set(qn("w:pos"), "357")
        ind = p_pr.find(qn("w:ind"))
        ind.set(qn("w:left"), "357")
        ind.set(qn("w:hanging"), "357")
        if link.get(qn("w:val")) == "ListBullet":
            level.find(qn("w:lvlText")).set(qn("w:val"), "\u2022")
            r_pr = level.find(qn("w:rPr"))
            if r_pr is not None:
                level.remove(r_pr)
            level.append(parse_xml(
                f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" '
                f'w:hint="default"/><w:color w:val="{ACCENT}"/></w:rPr>'
            ))


def _page_setup(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = Cm(1.25)
    section.footer_distance = Cm(1.25)
    section.different_first_page_header_footer = True  # the cover has no header or footer

    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = document.styles["Header"]
    add_field(paragraph._p, " TITLE \\* MERGEFORMAT ", "Title")

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    # The page number alone: pages are numbered from the first after the cover, and a total
    # (NUMPAGES) would count the cover too.
    add_field(paragraph._p, " PAGE ", "1")


def _tidy_package(document: docx.document.Document) -> None:
    """Drop what the template carries that would mislead: preview picture, Word 2010 styles."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del document.part.rels[rel_id]
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    core = document.core_properties
    core.author = core.last_modified_by = "cluster-reports"
    core.title = "Reference document"
    core.subject = core.keywords = core.category = ""
    core.comments = (
        "Styles, page setup, header and footer of the Word reports of cluster-reports. "
        "Restyle it in Word; the body is replaced when a report is written."
    )


def _sample_body(document: docx.document.Document) -> None:
    """A short specimen of every style, so a restyler sees them in use (the writer drops it)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    document.add_paragraph("Report title", style="Title")
    document.add_paragraph("Cover line (Subtitle)", style="Subtitle")
    document.add_paragraph("Contents", style="TOC Heading").paragraph_format.page_break_before = True
    document.add_paragraph("Heading 1 (TOC 1)")._p.style = "TOC1"
    document.add_paragraph("Heading 2 (TOC 2)")._p.style = "TOC2"
    document.add_paragraph("Heading 1", style="Heading 1").paragraph_format.page_break_before = True
    document.add_paragraph(
        "Body text in the Normal style. Reports are written in this style; "
        "emphasis is bold or italic, inline code uses the Code character style."
    )
    document.add_paragraph("Heading 2", style="Heading 2")
    document.add_paragraph("A bullet item (List Bullet)", style="List Bullet")
    document.add_paragraph("A numbered item (List Number)", style="List Number")
    document.add_paragraph("Heading 3", style="Heading 3")
    document.add_paragraph("A note (Note style): shaded, with a rule on the left.", style="Note")
    document.add_paragraph("Table 1: a caption (Caption style) sits above a table", style="Caption")
    table = document.add_table(rows=3, cols=3)
    table.style = document.styles["Cluster Table"]
    for r, row in enumerate([("Item", "Firms", "Workers"), ("A", "12", "40"), ("B", "7", "19")]):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.paragraphs[0].style = document.styles["Table Text"]
            cell.paragraphs[0].add_run(text)
    document.add_paragraph("Figure 1: a caption (Caption style) sits below a figure",
                           style="Caption")


# Built-in styles the writer asks for by name (lower case), beyond those the specimen body uses.
WRITER_STYLES = {
    "normal", "title", "subtitle", "caption", "toc heading", "hyperlink", "table grid",
    "list bullet", "list number", "header", "footer",
    *(f"heading {n}" for n in range(1, 10)), *(f"toc {n}" for n in range(1, 10)),
}


def _prune_styles(document: docx.document.Document) -> None:
    """Keep the styles a report can use, drop the rest of python-docx's template (about 130 styles,
    most of a 350 KB styles part that every report would parse and write again)."""
    styles = document.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    used = {
        el.get(qn("w:val"))
        for part in document.part.package.iter_parts()
        if hasattr(part, "element")
        for el in part.element.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))
    }
    keep = {
        sid for sid, s in by_id.items()
        if sid in used or s.get(qn("w:default")) == "1" or s.get(qn("w:customStyle")) == "1"
        or (s.find(qn("w:name")) is not None
            and s.find(qn("w:name")).get(qn("w:val"), "").lower() in WRITER_STYLES)
    }
    todo = list(keep)
    while todo:  # and every style these are based on, linked to or followed by
        style = by_id[todo.pop()]
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = style.find(qn(tag))
            target = ref.get(qn("w:val")) if ref is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                todo.append(target)
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)


def build_reference(path: Path) -> None:
    """Write the reference document to ``path`` (atomically)."""
    document = docx.Document()
    _tidy_package(document)
    _define_styles(document)
    _numbering(document)
    _page_setup(document)
    _sample_body(document)
    _prune_styles(document)
    write_atomic(Path(path), lambda tmp: document.save(str(tmp)))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m cluster_reports.writers.docx.reference PATH/reference.docx",
              file=sys.stderr)
        return 2
    build_reference(Path(args[0]))
    print(f"wrote {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
