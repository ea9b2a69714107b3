"""The cover's parts and the chapter numbers as the document tree holds them: parsed from the
templates' Markdown, numbered once in compose, for both writers."""

from __future__ import annotations

from cluster_reports.compose import tree as d
from cluster_reports.compose.markdown import escape, parse

COVER = """::: cover
![Logo Direktorat](logo:)

{.agency}
Direktorat Jenderal Industri Kecil, Menengah, dan Aneka

# Laporan Profil Sentra

**Sentra genteng**

Kabupaten Kebumen, Jawa Tengah

{.status}
Draf, versi 0.1

{.mark}
**Data ilustratif: sebagian angka bukan data survei**
:::
"""


def test_cover_parts_are_parsed_by_their_tags():
    (cover,) = parse(COVER)
    assert isinstance(cover, d.Cover)
    assert d.plain(cover.title) == "Laporan Profil Sentra"
    assert d.plain(cover.agency) == "Direktorat Jenderal Industri Kecil, Menengah, dan Aneka"
    assert [d.plain(line) for line in cover.lines] == ["Sentra genteng", "Kabupaten Kebumen, Jawa Tengah"]
    assert d.plain(cover.status) == "Draf, versi 0.1"
    assert d.plain(cover.mark) == "Data ilustratif: sebagian angka bukan data survei"
    assert cover.mark[0].bold
    assert cover.logo == d.Logo("Logo Direktorat")  # compose fills in the image


def test_a_cover_without_the_parts_has_none_of_them():
    (cover,) = parse("::: cover\n# Title\n\nLine\n:::\n")
    assert (cover.agency, cover.status, cover.mark, cover.logo) == (None, None, None, None)
    assert [d.plain(line) for line in cover.lines] == ["Line"]


def test_agency_text_stays_text():
    nasty = "Dinas (Perindustrian) & *Perdagangan* {.mark} #1"
    (cover,) = parse(f"::: cover\n{{.agency}}\n{escape(nasty)}\n\n# T\n:::\n")
    assert d.plain(cover.agency) == nasty
    assert cover.mark is None


def _numbers(source: str) -> list[tuple[str | None, str]]:
    nodes = parse(source)
    d.number_headings(nodes)
    return [(h.number, d.heading_text(h)) for h in nodes if isinstance(h, d.Heading)]


def test_chapters_are_numbered_and_back_matter_is_not():
    source = """# Ringkasan

# Data

## Unit usaha

### Rincian

#### Catatan

## Pasar

# Sumber data

{#sec-annex .unnumbered}
# Lampiran: IKM

## Bagian lampiran

{#sec-references .unnumbered}
# Daftar pustaka
"""
    assert _numbers(source) == [
        ("1", "1 Ringkasan"), ("2", "2 Data"), ("2.1", "2.1 Unit usaha"), ("2.1.1", "2.1.1 Rincian"),
        (None, "Catatan"),  # below the third level: not numbered
        ("2.2", "2.2 Pasar"), ("3", "3 Sumber data"),
        (None, "Lampiran: IKM"), (None, "Bagian lampiran"), (None, "Daftar pustaka"),
    ]


def test_an_unnumbered_section_keeps_the_count_around_it():
    source = """# Program

{#p1 .unnumbered}
## 1. Pelatihan

{#p2 .unnumbered}
## 2. Pameran

# Jadwal

## Pertemuan rutin
"""
    assert _numbers(source) == [
        ("1", "1 Program"), (None, "1. Pelatihan"), (None, "2. Pameran"), ("2", "2 Jadwal"),
        ("2.1", "2.1 Pertemuan rutin"),
    ]


def test_heading_ids_survive_the_class():
    (heading,) = parse("{#sec-references .unnumbered}\n# Daftar pustaka\n")
    assert (heading.id, heading.numbered) == ("sec-references", False)
