"""The document's properties: core (title, author, keywords, language, ...), custom
(``docProps/custom.xml``, in which a report records what it is and what was generated into it), and
the language of its text."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from cluster_reports.compose import tree as d

from .elements import clean_text

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
CUSTOM_PARTNAME = "/docProps/custom.xml"
# Word's core properties hold at most 255 characters (python-docx refuses longer ones): a cluster with
# many or long product names would otherwise fail to render.
CORE_LIMIT = 255


def set_properties(word: docx.document.Document, props: d.Properties, recorded: dict[str, str]) -> None:
    """The core properties from ``props``; the custom ones say what the report is, then what
    ``recorded`` holds (its blocks and what was generated into it)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core = word.core_properties
    core.title = _fit(clean_text(props.title))
    core.subject = _fit(clean_text(props.subject))
    core.author = clean_text(props.author)
    core.last_modified_by = clean_text(props.author)
    core.keywords = _keywords(props.keywords)
    core.category = props.document_kind
    core.comments = _fit(clean_text(
        getattr(props, "comments", None)
        or f"{props.document_kind} · {props.cluster_id} · cluster-reports "
           f"{props.generator_version}"
    ))
    core.language = props.language_tag
    core.created = now
    core.modified = now
    core.revision = 1
    core.content_status = ""
    custom = {
        "cluster_id": props.cluster_id,
        "params_hash": props.params_hash,
        "generator_version": props.generator_version,
        "document_kind": props.document_kind,
        "language": props.lang,
        **recorded,
    }
    set_custom_properties(word, custom)


def set_language(word: docx.document.Document, tag: str) -> None:
    """The language of the text (``w:lang`` of the document defaults) and of the theme fonts."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    r_default = defaults.find(qn("w:rPrDefault"))
    if r_default is None:
        r_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_default)
    r_pr = r_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r_default.append(r_pr)
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), "en-US")
    lang.set(qn("w:bidi"), "ar-SA")
    later = [r_pr.find(qn(t)) for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
    later = [el for el in later if el is not None]
    if later:
        later[0].addprevious(lang)
    else:
        r_pr.append(lang)
    theme_lang = word.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)


# --- custom properties ---------------------------------------------------------------------------


def _custom_xml(values: dict[str, str]) -> bytes:
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property")
        prop.set("fmtid", CUSTOM_FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = clean_text(str(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def parse_custom_xml(blob: bytes) -> dict[str, str]:
    root = etree.fromstring(blob)
    values: dict[str, str] = {}
    for prop in root.findall(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name")
        value = next(iter(prop), None)
        if name is not None:
            values[name] = "" if value is None else (value.text or "")
    return values


def _fit(text: str) -> str:
    """A core property's text, shortened with an ellipsis where it is longer than Word keeps."""
    return text if len(text) <= CORE_LIMIT else text[:CORE_LIMIT - 1].rstrip() + "\u2026"


def _keywords(words: list[str]) -> str:
    """The keywords, whole, as many as fit in the property: the first (name and place) always come."""
    kept = ""
    for word in (clean_text(w) for w in words if w):
        joined = f"{kept}, {word}" if kept else _fit(word)
        if len(joined) > CORE_LIMIT:
            break
        kept = joined
    return kept


def set_custom_properties(word: docx.document.Document, values: dict[str, str]) -> None:
    """Write ``docProps/custom.xml``: these values, after any others the reference carries."""
    package = word.part.package
    existing: dict[str, str] = {}
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            if not rel.is_external:
                existing.update(parse_custom_xml(rel.target_part.blob))
            del package.rels[rel_id]
    merged = {k: v for k, v in existing.items() if k not in values}
    merged.update(values)
    part = Part(PackURI(CUSTOM_PARTNAME), CT.OFC_CUSTOM_PROPERTIES, _custom_xml(merged), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _package_target(archive: zipfile.ZipFile, reltype: str) -> str | None:
    rels = etree.fromstring(archive.read("_rels/.rels"))
    for rel in rels:
        if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
            return rel.get("Target", "").lstrip("/")
    return None


def read_custom_properties(docx_path: Path) -> dict[str, str]:
    """The custom document properties of a .docx as name -> text value ({} if it has none)."""
    with zipfile.ZipFile(docx_path) as archive:
        target = _package_target(archive, RT.CUSTOM_PROPERTIES)
        if target is None or target not in archive.namelist():
            return {}
        return parse_custom_xml(archive.read(target))


def custom_properties(word: docx.document.Document) -> dict[str, str]:
    """The custom document properties of an opened document."""
    for rel in word.part.package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            return parse_custom_xml(rel.target_part.blob)
    return {}


