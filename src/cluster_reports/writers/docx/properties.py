"""Parts of the .docx package besides the body: XML-safe text, and the custom document properties
(``docProps/custom.xml``) in which a report records what it is and what was generated into it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
CUSTOM_PARTNAME = "/docProps/custom.xml"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text that XML can hold: control characters other than tab and newline dropped."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


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


