"""Statements of fact in the facilitator guideline and the roll-ups: the dates the guideline proposes
fall on working days (no weekend, no national holiday, no joint leave around Lebaran), a province's
ranks carry their scope (the province's group; the selection round where it also scored clusters of
other provinces, with ties), and counts of one read in the singular on the covers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from checks import tree_lines

from cluster_reports.compose import composer
from cluster_reports.compose.tree import Heading
from cluster_reports.documents import facilitation, guideline, i18n, province_summary
from cluster_reports.domain import routine, summary, working_days
from cluster_reports.domain.routine import EventKind

YEARS = (2003, 2014, 2015, 2024, 2025, 2026, 2027)


@dataclasses.dataclass
class _Routine:
    meeting_weekday: str
    meeting_week: int
    seminar_months: list[int]


@dataclasses.dataclass
class _Programme:
    id: str
    start_month: int
    end_month: int


def _text(document) -> str:
    """The document's words, paragraphs and table rows joined, as a reader meets them."""
    lines = tree_lines(document)
    return " ".join(" ".join(lines).split())


def _body(document) -> SimpleNamespace:
    """The guideline before its annex for the person who prepares the documents, the one part that
    names files and commands (test_guide_manual_body checks the annex)."""
    at = next(i for i, n in enumerate(document.nodes) if isinstance(n, Heading) and n.id == "sec-operator")
    return SimpleNamespace(nodes=document.nodes[:at])


# --- working days --------------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_no_gathering_or_joint_action_falls_on_a_weekend_or_holiday(year):
    programmes = [_Programme(f"p{m}", m, min(12, m + k)) for m, k in itertools.product(range(1, 13), (0, 2))]
    for weekday, week in itertools.product(routine.WEEKDAYS, range(1, 5)):
        events = routine.working_calendar(year, _Routine(weekday, week, [3, 6, 9, 12]), programmes)
        bad = [(e.date, e.kind, working_days.holiday(e.date)) for e in events
               if not working_days.is_working_day(e.date)]
        assert bad == [], (year, weekday, week)
        gatherings = [e for e in events if e.kind in (EventKind.meeting, EventKind.seminar)]
        assert [e.date.month for e in gatherings] == list(range(1, 13))  # one a month, in its month
        starts = [e for e in events if e.kind is EventKind.start]
        assert all(e.date.month in {p.start_month for p in programmes} for e in starts)


def test_lebaran_joint_leave_moves_the_meeting_and_the_start():
    # 2025: Idulfitri on 31 March and 1 April, joint leave to 7 April (a Monday).
    first_mondays = routine.working_calendar(2025, _Routine("monday", 1, []), [_Programme("x", 4, 4)])
    april = [(e.date, e.kind) for e in first_mondays if e.date.month == 4]
    assert april == [(dt.date(2025, 4, 8), EventKind.start), (dt.date(2025, 4, 8), EventKind.meeting),
                     (dt.date(2025, 4, 30), EventKind.end)]
    # 2026: the third Friday of March, 20 March, is joint leave before Idulfitri (21-22 March); the
    # leave runs to Tuesday 24 March, so the meeting is on Wednesday 25 March.
    march = [e.date for e in routine.working_calendar(2026, _Routine("friday", 3, []))
             if e.date.month == 3]
    assert march == [dt.date(2026, 3, 25)]
    # A meeting at the end of a month with no working day after it stays in its month.
    assert working_days.in_month(dt.date(2025, 8, 31)) == dt.date(2025, 8, 29)


def test_the_guideline_calendar_of_a_pilot_is_on_working_days(sample_by_id, templates):
    loaded = sample_by_id["kebumen-roof-tile"]
    for lang in ("en", "id"):
        rows, _ = guideline.calendar_rows(loaded, i18n.labels(templates, lang))
        assert len(rows) > 12
        assert all(working_days.is_working_day(r.date) for r in rows), [
            r.date for r in rows if not working_days.is_working_day(r.date)]
    en = _text(_body(composer.compose(loaded, "guideline", "en", [], templates)))
    assert "moves to the next working day of the month" in en
    assert "params" not in en and "cluster-reports" not in en and ".yaml" not in en
    id_ = _text(_body(composer.compose(loaded, "guideline", "id", [], templates)))
    assert "diundurkan ke hari kerja berikutnya dalam bulan yang sama" in id_
    assert "berkas parameter" not in id_ and "alat ini" not in id_
    assert "pada tahun 2002–2003" in id_ and "2004 pilot" not in en


# --- ranks with their scope ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def summaries(sample) -> list[summary.ClusterSummary]:
    return [summary.summarise(item) for item in sample]


def _province(templates, members, slug, lang):
    return _text(composer.compose_rollup("province-summary", members, slug, lang, templates))


def test_alone_in_the_province_third_of_three_in_the_round(summaries, templates):
    """Tegal's metalwork is Jawa Tengah's only metal cluster of the study's round, and third of three
    in that round (Table 3.1: Waru-Sidoarjo, Sukabumi, Tegal)."""
    members = province_summary.members(summaries, "jawa-tengah")
    en = _province(templates, members, "jawa-tengah", "en")
    assert ("the Tegal metalwork cluster is the only cluster of Jawa Tengah, with a score of 45.6% "
            "(31 + 10 points). In that round, it ranks third of three clusters of the group.") in en
    assert "Tegal metalwork cluster ranks first" not in en
    id_ = _province(templates, members, "jawa-tengah", "id")
    assert ("Dalam putaran tersebut, sentra ini menempati peringkat ketiga dari tiga sentra "
            "kelompoknya.") in id_
    # The ship-parts cluster is alone in its round's group too: no rank in a round is claimed.
    assert ("Tegal ship-parts cluster is the only cluster of Jawa Tengah, with a score of 53.3% "
            "(30 + 18 points). In the group") in en
    # Without the round's other clusters, the document states only the province's scope.
    own = [s for s in summaries if s.province_slug == "jawa-tengah"]
    alone = _province(templates, own, "jawa-tengah", "en")
    assert "third of three" not in alone and "ranks first" not in alone
    assert "the Tegal metalwork cluster is the only cluster of Jawa Tengah" in alone


def test_a_tie_in_the_round_is_named(summaries, templates):
    tegal = next(s for s in summaries if s.id == "tegal-metalwork")
    level = [dataclasses.replace(s, growth=tegal.growth, action=tegal.action)
             if s.id == "sukabumi-metalwork" else s for s in summaries]
    members = province_summary.members(level, "jawa-tengah")
    en = _province(templates, members, "jawa-tengah", "en")
    assert "it ranks second of three clusters of the group, level with one other cluster." in en
    id_ = _province(templates, members, "jawa-tengah", "id")
    assert "peringkat kedua dari tiga sentra kelompoknya, sama dengan satu sentra lain." in id_


def test_clusters_tied_first_in_the_province_share_the_rank(summaries, templates):
    tegal = next(s for s in summaries if s.id == "tegal-metalwork")
    twin = dataclasses.replace(tegal, id="tegal-twin", name_en="Slawi metalwork cluster",
                               name_id="Sentra IKM logam Slawi")
    own = [s for s in summaries if s.province_slug == "jawa-tengah"] + [twin]
    en = _province(templates, own, "jawa-tengah", "en")
    assert ("the Tegal metalwork cluster and the Slawi metalwork cluster share the first rank of the two "
            "clusters of Jawa Tengah, with 45.6% each") in en or (
            "the Slawi metalwork cluster and the Tegal metalwork cluster share the first rank of the two "
            "clusters of Jawa Tengah, with 45.6% each") in en
    id_ = _province(templates, own, "jawa-tengah", "id")
    assert "berbagi peringkat pertama dari dua sentra Provinsi Jawa Tengah" in id_


def test_a_round_rank_above_ten_is_an_ordinal(templates):
    en, id_ = i18n.labels(templates, "en"), i18n.labels(templates, "id")
    assert [province_summary.ordinal(n, en) for n in (3, 11, 12, 21, 22, 103)] == [
        "third", "11th", "12th", "21st", "22nd", "103rd"]
    assert [province_summary.ordinal(n, id_) for n in (3, 12)] == ["ketiga", "ke-12"]
    assert province_summary.cardinal(40, en) == "40" and province_summary.cardinal(3, id_) == "tiga"


# --- counts of one and series ----------------------------------------------------------------------


def test_covers_of_one_cluster_in_one_regency_read_in_the_singular(summaries, templates):
    one = [s for s in summaries if s.id == "mampang-tempe-tofu"]
    slug = one[0].province_slug
    en = _province(templates, one, slug, "en")
    assert "1 cluster · 1 regency or city · " in en
    assert "1 clusters" not in en and "1 regencies" not in en
    assert "1 sentra · 1 kabupaten/kota · " in _province(templates, one, slug, "id")
    national = _text(composer.compose_rollup("national-summary", one, None, "en", templates))
    assert "1 cluster · 1 province · " in national and "1 provinces" not in national
    assert "This summary covers 1 cluster in 1 province. It has " in national
    # A sub-sector keeps the case of its name (no lowercased brands or places).
    assert f"ISIC {one[0].isic} (" in national


def test_series_take_the_puebi_comma_in_indonesian(templates):
    id_, en = i18n.labels(templates, "id"), i18n.labels(templates, "en")
    assert facilitation.and_list(["A", "B", "C"], id_) == "A, B, dan C"
    assert facilitation.and_list(["A", "B", "C"], en) == "A, B and C"
    assert facilitation.and_list(["A", "B"], id_) == "A dan B"


def test_indonesian_group_headings_are_in_title_case(summaries, templates):
    members = province_summary.members(summaries, "jawa-tengah")
    ctx = province_summary.context(members, "jawa-tengah", i18n.labels(templates, "id"))
    headings = set(ctx["group_headings"].values())
    assert "Komponen dan Suku Cadang Logam dan Permesinan (Putaran Seleksi Studi 2004)" in headings
    assert "Produk Perdesaan dan Khas Daerah (Putaran Seleksi Studi 2004)" in headings
    en = province_summary.context(members, "jawa-tengah", i18n.labels(templates, "en"))
    assert "Rural, indigenous products (selection round of the 2004 study)" in en["group_headings"].values()
