"""Figures that add up, read in the document trees (the .docx and the HTML are written from them) of
every sample cluster and roll-up in both languages: percent as PUEBI writes it, size-class shares
that sum to 100.0, US$ columns that sum to their totals, amounts in sentences rounded as a report
rounds them, and a share quoted in a sentence the same as in its table."""

from __future__ import annotations

import dataclasses
import re

import pytest

from cluster_reports.compose import composer
from cluster_reports.compose.tree import Block, Document, Note, Paragraph, Table, plain
from cluster_reports.documents.i18n import Formatter
from cluster_reports.documents.registry import unavailable_reason
from cluster_reports.domain import summary

KINDS = ("profile", "strategy", "action-plan", "monitoring", "guideline")
LANGS = ("id", "en")


def words(node: object) -> list[str]:
    """Every text of a node: runs, captions, headers, cells, alt texts, properties; not chart specs."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, (list, tuple)):
        return [w for item in node for w in words(item)]
    if isinstance(node, dict):
        return [w for item in node.values() for w in words(item)]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [w for f in dataclasses.fields(node) if f.name != "charts"
                for w in words(getattr(node, f.name))]
    return []


def tables(document: Document) -> dict[str, Table]:
    return {n.id: n for n in document.nodes if isinstance(n, Table)}


def paragraphs(document: Document) -> str:
    found: list[str] = []

    def walk(nodes):
        for n in nodes:
            if isinstance(n, Paragraph):
                found.append(" ".join(plain(n.runs).split()))
            elif isinstance(n, (Block, Note)):
                walk(n.children)

    walk(document.nodes)
    return "\n".join(found)


@pytest.fixture(scope="module")
def documents(sample, templates) -> dict[tuple[str, str, str], Document]:
    peers = [summary.summarise(item) for item in sample]
    made = {}
    for item in sample:
        for kind in KINDS:
            if unavailable_reason(item, kind):
                continue
            for lang in LANGS:
                made[item.params.id, kind, lang] = composer.compose(item, kind, lang, peers, templates)
    for lang in LANGS:
        made["*", "national-summary", lang] = composer.compose_rollup("national-summary", peers, None, lang,
                                                                     templates)
        for slug in sorted({s.province_slug for s in peers}):
            members = [s for s in peers if s.province_slug == slug]
            made[slug, "province-summary", lang] = composer.compose_rollup("province-summary", members, slug,
                                                                          lang, templates)
    return made


def test_every_kind_is_read(documents):
    kinds = {kind for _, kind, _ in documents}
    assert kinds == {*KINDS, "province-summary", "national-summary"}


def test_no_indonesian_document_puts_a_space_before_percent(documents):
    spaced = re.compile(r"\d %")
    for (where, kind, lang), document in documents.items():
        if lang != "id":
            continue
        bad = [w for w in words(document) if spaced.search(w)]
        assert not bad, f"{where} {kind}: {bad[:3]}"


def _percent(cell: str) -> float:
    return float(cell.rstrip("%").replace(".", "").replace(",", ".")) if cell.endswith("%") else float("nan")


def test_size_class_shares_add_up_to_100(documents):
    checked = 0
    for (where, kind, lang), document in documents.items():
        table = tables(document).get("tbl-firm-sizes")
        if kind != "profile" or lang != "id" or table is None:
            continue
        *rows, total = [[plain(c) for c in row] for row in table.rows]
        if total[1] == "0":
            continue
        assert total[2] == "100,0%", where
        assert round(sum(_percent(r[2]) for r in rows), 1) == 100.0, (where, rows)
        checked += 1
    assert checked >= 10


def test_the_garut_profile_gives_micro_and_small_as_their_count_gives_it(documents):
    # 6 micro and 22 small of 33: 28 of 33 is 84.8% (the rounded 18.2 and 66.7 would add up to 84.9)
    en, id_ = (paragraphs(documents["garut-vetiver-oil", "profile", lang]) for lang in ("en", "id"))
    assert "make up 84.8% of the firms" in en
    assert "mencakup 84,8% dari seluruh unit usaha" in id_


def _dollars(cell: str) -> int | None:
    match = re.fullmatch(r"US\$ ([\d,]+)", cell)
    return int(match.group(1).replace(",", "")) if match else None


@pytest.mark.parametrize("table_id", ["tbl-by-programme", "tbl-by-funding"])
def test_every_us_dollar_column_adds_up_to_its_total(documents, table_id):
    checked = 0
    for (where, kind, lang), document in documents.items():
        if kind != "action-plan" or lang != "en":
            continue
        table = tables(document)[table_id]
        column = [plain(h) for h in table.header].index("US$")
        *rows, total = [[plain(c) for c in row] for row in table.rows]
        lines = [_dollars(r[column]) for r in rows]
        assert sum(d for d in lines if d is not None) == _dollars(total[column]), (where, lines, total)
        shares = [_percent(r[-1].replace(".", ",")) for r in rows if r[-1].endswith("%")]
        assert round(sum(shares), 1) == 100.0, (where, table_id, shares)
        checked += 1
    assert checked >= 5


def test_a_programme_names_the_dollars_its_tables_give(documents):
    """The sentence of a programme, its budget table and the table of all programmes agree."""
    document = documents["kebumen-roof-tile", "action-plan", "en"]
    by_programme = tables(document)["tbl-by-programme"]
    text = paragraphs(document)
    for row in by_programme.rows[:-1]:
        cells = [plain(c) for c in row]
        if _dollars(cells[3]) is None:
            continue
        # the sentence rounds the table's exact dollars to three significant figures
        assert f"(about {Formatter('en').usd_rounded(_dollars(cells[3]))})" in text, cells


def test_amounts_in_sentences_are_rounded_and_tables_keep_them_exact(documents, sample_by_id):
    item = sample_by_id["kebumen-roof-tile"]
    sales = item.params.annual_sales
    for lang in LANGS:
        f = Formatter(lang)
        document = documents["kebumen-roof-tile", "profile", lang]
        text = paragraphs(document)
        assert f.rupiah_rounded(sales) in text and f.rupiah(sales) not in text
        basic = [plain(c) for row in tables(document)["tbl-basic-data"].rows for c in row]
        assert any(cell.startswith(f.rupiah(sales)) for cell in basic)
    # no figure of ten digits or more (a billion written out) in any sentence of any document
    long_figure = re.compile(r"Rp \d{1,3}([.,]\d{3}){3,}")
    for (where, kind, lang), document in documents.items():
        found = long_figure.search(paragraphs(document))
        assert not found, f"{where} {kind} {lang}: {found.group(0)}"


def test_the_studys_regions_add_up_with_their_counts(documents):
    en = paragraphs(documents["*", "national-summary", "en"])
    assert "9,427 of its 9,800 clusters (96.2%)" in en
    table = tables(documents["*", "national-summary", "en"])["tbl-regions-study"]
    *rows, total = [[plain(c) for c in row] for row in table.rows]
    assert rows[-1][2:] == ["373", "3.8%"] and total[-1] == "100.0%"
    assert round(sum(_percent(r[-1].replace(".", ",")) for r in rows), 1) == 100.0


def test_a_share_in_a_sentence_is_the_share_in_its_table(documents):
    """Monitoring: the main channel's share in the text is the one the channel table prints."""
    checked = 0
    for (where, kind, lang), document in documents.items():
        if kind != "monitoring" or lang != "en":
            continue
        table = tables(document).get("tbl-channels")
        if table is None:
            continue
        printed = {plain(row[-1]) for row in table.rows}
        text = paragraphs(document)
        quoted = re.findall(r"the largest shares?, ([\d.]+%)", text)
        for pair in re.findall(r"the largest share went through [^:]+: ([\d.]+%) and ([\d.]+%)", text):
            quoted += pair
        assert quoted and set(quoted) <= printed, (where, quoted, printed)
        checked += 1
    assert checked >= 3
