"""The document's properties, core and custom, and its language (checked with the setting that has
Word update the fields on opening)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import docx_sample as sample  # tests/writers/docx_sample.py
import pytest
from docx.oxml.ns import qn

from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.docx.properties import read_custom_properties


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    return sample.reference(tmp_path_factory)


@pytest.fixture(scope="module")
def written(reference, tmp_path_factory) -> Path:
    return sample.written(reference, tmp_path_factory)


def test_update_fields_and_language(written):
    word = docx.Document(str(written))
    update = word.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    lang = word.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "id-ID"
    assert word.core_properties.language == "id-ID"


def test_core_and_custom_properties(written):
    core = docx.Document(str(written)).core_properties
    assert core.title == sample.TITLE
    assert core.subject == "Logam dan komponen mesin"
    assert core.author == "cluster-reports"
    assert core.keywords == "Sentra Logam Tegal, Kabupaten Tegal, Jawa Tengah"
    assert core.category == "profile"
    assert core.created is not None and core.modified is not None
    custom = read_custom_properties(written)
    # What was generated, in the blocks and outside them: a reviewer's edits are told from it.
    generated = json.loads(custom.pop("cr_generated"))
    assert {b: t for b, t in generated.items() if not b.startswith("caption-")} == sample.expected_blocks()
    # Captions are blocks too (tests/writers/test_cell_blocks.py).
    assert json.loads(custom.pop("cr_blocks")) == {
        "cr_summary_intro": "summary.intro", "cr_basic_data": "basic-data", "cr_closing": "closing",
        "cr_caption_tbl_basic": "caption-tbl-basic", "cr_caption_tbl_wide": "caption-tbl-wide",
        "cr_caption_fig_size": "caption-fig-size",
    }
    layout = json.loads(custom.pop("cr_layout"))
    outside = layout["outside"]
    assert "Laporan Profil Klaster" in outside and not any("Terima kasih" in t for t in outside)
    # The body in order: blocks by id, the elements outside them by their number.
    in_order = dict.fromkeys(e for e in layout["body"] if isinstance(e, str) and not e.startswith("caption-"))
    assert list(in_order) == list(sample.expected_blocks())
    assert [e for e in layout["body"] if isinstance(e, int)] == list(range(len(outside)))
    assert set(json.loads(custom.pop("cr_format"))) == set(generated)
    assert custom == {
        "cluster_id": "jateng-tegal-logam",
        "params_hash": "sha256:" + "ab" * 32,
        "generator_version": "0.1.0",
        "document_kind": "profile",
        "language": "id",
    }
    with zipfile.ZipFile(written) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("_rels/.rels").decode()
        custom_xml = archive.read("docProps/custom.xml").decode()
    assert 'PartName="/docProps/custom.xml"' in types
    assert "application/vnd.openxmlformats-officedocument.custom-properties+xml" in types
    assert "relationships/custom-properties" in rels
    assert 'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="cluster_id"' \
        in custom_xml


def test_long_product_lists_fit_the_core_properties(reference, tmp_path):
    """Word keeps at most 255 characters in a core property: a cluster with many long product names
    is written, with as many whole keywords as fit (its name and place first) and a shortened title."""
    products = [f"baling-baling kapal ikan dari kuningan cor nomor {n}, poros, dan kopling" for n in range(6)]
    document = sample.document()
    document.properties.keywords = ["Sentra IKM komponen kapal Tegal", "Kota Tegal", "Jawa Tengah", *products]
    document.properties.title = "Laporan Profil Sentra: " + "sentra yang namanya sangat panjang " * 10
    path = tmp_path / "profile.id.docx"
    write_docx(document, path, reference)
    core = docx.Document(str(path)).core_properties
    assert core.keywords.startswith("Sentra IKM komponen kapal Tegal, Kota Tegal, Jawa Tengah, baling-baling")
    assert len(core.keywords) <= 255 and core.keywords.endswith("kopling")  # whole keywords only
    assert core.keywords.count("baling-baling") == 2  # the third would pass the limit
    assert len(core.title) == 255 and core.title.endswith("\u2026")
