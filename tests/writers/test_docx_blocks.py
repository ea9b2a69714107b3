"""Narrative blocks in Word: one bookmark per paragraph, valid bookmark names, read back by block."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import docx_sample as sample  # tests/writers/docx_sample.py
import pytest
from docx.oxml.ns import qn

from cluster_reports.compose import markdown
from cluster_reports.review.reviewed import block_texts
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.docx.blocks import BOOKMARK_MAX, bookmark_prefix


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    return sample.reference(tmp_path_factory)


@pytest.fixture(scope="module")
def written(reference, tmp_path_factory) -> Path:
    return sample.written(reference, tmp_path_factory)


def test_block_bookmarks_one_per_paragraph(written):
    word = docx.Document(str(written))
    names = {}
    for p in word.element.body.iter(qn("w:p")):
        starts = p.findall(qn("w:bookmarkStart"))
        ends = p.findall(qn("w:bookmarkEnd"))
        cr = [s.get(qn("w:name")) for s in starts if s.get(qn("w:name")).startswith("cr_")]
        if cr:
            assert len(cr) == 1, "one block bookmark per paragraph"
            start_id = starts[0].get(qn("w:id"))
            assert [e.get(qn("w:id")) for e in ends] == [start_id], "closed in the same paragraph"
            names[cr[0]] = sample.text(p)
    assert names == {
        "cr_summary_intro_1": "Sentra ini memiliki 120 unit usaha dengan pemasaran yang kuat "
                              "dan kode ISIC 2599.",
        "cr_summary_intro_2": "Teks pengguna tetap teks: <b>tebal</b> & {{ x }} tidak diolah.",
        "cr_summary_intro_3": "Butir pertama",
        "cr_summary_intro_4": "Butir kedua dengan tautan",
        "cr_basic_data_1": "Langkah satu",
        "cr_basic_data_2": "Langkah dua",
        "cr_basic_data_3": "Paragraf penutup blok.",
        "cr_closing_1": "Terima kasih.",
        # captions are blocks too (tests/writers/test_cell_blocks.py), their number a field
        "cr_caption_tbl_basic_1": "Tabel 1: Jumlah unit usaha menurut ukuran",
        "cr_caption_tbl_wide_1": "Tabel 2: Tabel lebar dengan tujuh kolom",
        "cr_caption_fig_size_1": "Gambar 1: Unit usaha menurut ukuran",
    }
    narrative = {b: t for b, t in block_texts(written).items() if not b.startswith("caption-")}
    assert narrative == sample.expected_blocks()


def test_bookmark_prefixes_are_valid_word_names():
    long_id = "a-very-long-block-identifier.with.many.parts-and-more-words"
    prefix = bookmark_prefix(long_id)
    assert prefix == bookmark_prefix(long_id)  # stable
    assert len(f"{prefix}_99999") <= BOOKMARK_MAX
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", prefix)
    assert bookmark_prefix("x-1") == "cr_x_1"
    # two ids that read alike get distinct prefixes
    taken = {"cr_x_1": "x-1"}
    assert bookmark_prefix("x.1", taken) not in taken


def test_long_and_clashing_block_ids_read_back(reference, tmp_path):
    long_id = "a-very-long-block-identifier.with.many.parts-and-more-words"
    source = f"::: block x-1\nOne.\n:::\n\n::: block x.1\nTwo.\n:::\n\n::: block {long_id}\nThree.\n:::\n"
    doc = sample.document()
    doc.nodes = markdown.parse(source)
    path = tmp_path / "blocks.docx"
    write_docx(doc, path, reference)
    assert block_texts(path) == {"x-1": ["One."], "x.1": ["Two."], long_id: ["Three."]}
    word = docx.Document(str(path))
    assert word.sections[0].different_first_page_header_footer is False  # no cover
