"""The sample document of the Word writer's tests (tests/writers/test_docx*.py), the reference
document and the written sample they share, and helpers to read a written file."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import vl_convert
from docx.oxml.ns import qn

from cluster_reports.compose import markdown
from cluster_reports.compose.tree import Chart, Document, Properties
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.docx.reference import build_reference

SOURCE = r"""
::: cover
# Laporan Profil Klaster

**Sentra Logam Tegal**

Kabupaten Tegal, Jawa Tengah
:::

::: toc
:::

# Ringkasan

::: block summary.intro
Sentra ini memiliki **120 unit usaha** dengan *pemasaran* yang kuat dan kode `ISIC 2599`.

Teks pengguna tetap teks: \<b\>tebal\</b\> \& \{\{ x \}\} tidak diolah.

- Butir pertama
- Butir kedua dengan [tautan](https://example.org/a?b=1&c=2)
:::

## Data dasar

::: table tbl-basic
Jumlah unit usaha menurut ukuran

| Ukuran | Unit | Pekerja |
| --- | --: | --: |
| Mikro | 95 | 1.234 |
| Kecil | 25 | 310 |
:::

::: note synthetic
Angka dalam laporan ini bersifat ilustratif.
:::

### Rincian

::: block basic-data
1. Langkah satu
2. Langkah dua

Paragraf penutup blok.
:::

::: figure fig-size
Unit usaha menurut ukuran

![Diagram batang: 95 unit mikro dan 25 unit kecil](chart:size)
:::

# Lampiran lebar

::: table tbl-wide
Tabel lebar dengan tujuh kolom

| Kode | Nama | Perindustrian | Ketenagakerjaan | Perdagangan | Perguruan | Konsultan |
| --- | --- | --: | --: | --: | --: | --: |
| 01 | Satu | Kewirausahaan | Penganggarannya | Pemberdayaannya | Pendampingannya | Pemasarannya |
| 02 | Dua | Penyuluhannya | Pengawasannya | Permodalannya | Pengembangannya | Standardisasinya |
:::

# Penutup

::: block closing
Terima kasih.
:::
"""

TITLE = "Laporan Profil Klaster: Sentra Logam Tegal"



def _chart_png() -> bytes:
    chart = (
        alt.Chart(alt.Data(values=[{"size": "Mikro", "n": 95}, {"size": "Kecil", "n": 25}]))
        .mark_bar()
        .encode(y="size:N", x="n:Q")
        .properties(width=300, height=80)
    )
    return vl_convert.vegalite_to_png(chart.to_json(), scale=1)


def document(lang: str = "id") -> Document:
    labels = {
        "id": {"table": "Tabel", "figure": "Gambar", "contents": "Daftar Isi"},
        "en": {"table": "Table", "figure": "Figure", "contents": "Contents"},
    }[lang]
    properties = Properties(
        title=TITLE,
        subject="Logam dan komponen mesin",
        lang=lang,
        cluster_id="jateng-tegal-logam",
        params_hash="sha256:" + "ab" * 32,
        generator_version="0.1.0",
        document_kind="profile",
        keywords=["Sentra Logam Tegal", "Kabupaten Tegal", "Jawa Tengah"],
    )
    charts = {"size": Chart(png=_chart_png(), svg="<svg/>", alt="chart alt")}
    return Document(markdown.parse(SOURCE), charts, properties, labels)


def reference(tmp_path_factory) -> Path:
    """A reference document built afresh (as ``reference.py`` builds the shipped one)."""
    path = tmp_path_factory.mktemp("reference") / "reference.docx"
    build_reference(path)
    return path


def written(on: Path, tmp_path_factory) -> Path:
    """The sample document written on the reference document ``on``."""
    path = tmp_path_factory.mktemp("docx") / "profile.id.docx"
    write_docx(document(), path, on)
    return path


def fields(paragraph) -> list[tuple[str, str]]:
    """(instruction, cached result) of the complex fields in a paragraph."""
    found, state, instr, result = [], None, "", ""
    for run in paragraph._p.iter(qn("w:r")):
        fld = run.find(qn("w:fldChar"))
        kind = fld.get(qn("w:fldCharType")) if fld is not None else None
        if kind == "begin":
            state, instr, result = "instr", "", ""
        elif kind == "separate":
            state = "result"
        elif kind == "end":
            found.append((instr.strip(), result))
            state = None
        elif state == "instr":
            instr += "".join(t.text or "" for t in run.iter(qn("w:instrText")))
        elif state == "result":
            result += "".join(t.text or "" for t in run.iter(qn("w:t")))
    return found


def text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def expected_blocks() -> dict[str, list[str]]:
    return {
        "summary.intro": [
            "Sentra ini memiliki 120 unit usaha dengan pemasaran yang kuat dan kode ISIC 2599.",
            "Teks pengguna tetap teks: <b>tebal</b> & {{ x }} tidak diolah.",
            "Butir pertama",
            "Butir kedua dengan tautan",
        ],
        "basic-data": ["Langkah satu", "Langkah dua", "Paragraf penutup blok."],
        "closing": ["Terima kasih."],
    }
