"""The review trail: a dated, cumulative record per reviewed document and its report, written in the
document's language, naming sections by their headings, showing word-level differences; the console
names a conflict in the reviewed report, not an error in the params."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from checks import edit_block
from conftest import ROOT
from rich.console import Console
from typer.testing import CliRunner

from cluster_reports import cli, render
from cluster_reports.review import report, trail
from cluster_reports.review.outcome import HISTORY, Conflict, Edit, Review, ReviewConflict

LABELS = ROOT / "templates" / "labels"
T0 = dt.datetime(2026, 12, 1, 22, 40, tzinfo=dt.UTC)
WORD = re.compile(r"[^\W\d_]{3,}")

HEADINGS = {
    "id": {"summary": "Ringkasan", "products": "Produk dan proses", "growth-seeds": "Benih pertumbuhan",
           "markets": "Pasar", "swot": "Analisis SWOT"},
    "en": {"summary": "Summary", "products": "Products and processes", "growth-seeds": "Growth seeds",
           "markets": "Markets", "swot": "SWOT analysis"},
}
# What the data generated and what the reviewer wrote: user text, the same in both languages' tests.
OLD = ["Sentra ini memiliki 264 unit usaha yang mempekerjakan 2.400 tenaga kerja dan menjual genteng "
       "tanah liat ke pedagang pengumpul di Jawa Tengah, Jawa Barat, dan Bali setiap bulan."]
MINE = ["Sentra ini memiliki 264 unit usaha yang mempekerjakan 2.400 tenaga kerja dan menjual genteng "
        "tanah liat berglasir ke pedagang pengumpul di Jawa Tengah, Jawa Barat, dan Bali setiap bulan."]
NEW = ["Sentra ini memiliki 280 unit usaha yang mempekerjakan 2.500 tenaga kerja dan menjual genteng "
       "tanah liat ke pedagang pengumpul di Jawa Tengah, Jawa Barat, dan Bali setiap bulan."]


def _every_kind(path: Path, lang: str) -> Review:
    """A review with every kind of finding the report describes."""
    return Review(
        path, lang=lang, kept=["products"], updated=["markets"],
        conflicts=[Conflict("summary", MINE, OLD, NEW), Conflict("growth-seeds", [], OLD, None),
                   Conflict("swot", [], OLD, NEW),
                   Conflict("extra-note", ["Catatan"], None, ["Catatan baru"])],
        outside=[Edit("added", "Data dasar", "Catatan penelaah tentang data."),
                 Edit("changed", "Data dasar", "Teks baru", was="Teks lama"),
                 Edit("removed", "", "Teks awal"),
                 Edit("cell", "Data dasar", "280", was="264", where="Tabel 1, Kebumen|2|3|Unit usaha"),
                 Edit("moved", "Sumber", "Paragraf benih.", block="growth-seeds"),
                 Edit("merged", "Visi", "Visi 2035.", block="summary"),
                 Edit("annotation", "Sumber", where="tracked changes"),
                 Edit("annotation", "", where="comments"),
                 Edit("unreadable", text="File is not a zip file"),
                 Edit("split", "Visi", "Bagian baru.")],
        annotated={"products": ["tracked changes", "comments"]}, formatted=["products"],
        moved_in={"products": ["growth-seeds"]}, headings=HEADINGS[lang],
        generated={"products": OLD}, reviewer={"products": OLD}, source=path.with_name("salinan.docx"),
        new_version=path.with_name(f"{path.stem}.new.docx"), unrecorded=True,
    )


def _states(folder: Path, lang: str) -> list[str]:
    """Reports of every state a trail can be in, for one language."""
    path = folder / f"profile.{lang}.docx"
    texts = []
    big = _every_kind(path, lang)
    texts.append(report.render_report(big, T0))
    replaced = Review(path, lang=lang, kept=["products"], headings=HEADINGS[lang],
                      generated={"products": ["a " * 10 + f"w{i} " + "b " * 10 for i in range(12)]},
                      reviewer={"products": ["a " * 10 + f"x{i} " + "b " * 10 for i in range(12)]},
                      history=folder / HISTORY / "profile.old.docx")
    report.record(big, T0)
    report.record(big, T0 + dt.timedelta(hours=1))
    report.record(replaced, T0 + dt.timedelta(hours=2))
    report.record(replaced, T0 + dt.timedelta(hours=3))
    texts.append(trail.report_path(path).read_text(encoding="utf-8"))
    texts.append(report.record(Review(path, lang=lang), T0 + dt.timedelta(hours=4)).read_text("utf-8"))
    texts.append(report.render_report(Review(path, lang=lang, formatted=["products"]), T0))
    texts.append(report.render_report(Review(path, lang=lang), T0))
    copy_read = folder / f"profile.{lang} (reviewed).docx"
    texts.append(report.render_report(Review(path, lang=lang, kept=["summary"], source=copy_read,
                                             set_aside=[folder / HISTORY / copy_read.name]), T0))
    texts.append(report.render_report(Review(path, lang=lang, problems=["profile.id.docx"],
                                             new_version=path.with_name(f"profile.{lang}.new.docx")), T0))
    texts.append(report.render_report(Review(path, lang=lang, kept=["summary"], generated={"summary": OLD},
                                             reviewer={"summary": ["Teks penelaah sendiri.", "Kedua."]}), T0))
    return texts


def _prose(text: str) -> str:
    """The report's own sentences: without the reviewer's and the data's text (quoted, in
    differences, as headings), file names and the operator's command."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"(?m)^>.*$", " ", text)
    text = re.sub(r"“[^”]*”|`[^`]*`", " ", text)
    for given in ("Tabel 1, Kebumen", "Unit usaha", "File is not a zip file", "profile.id.docx",
                  "profile.en.docx"):
        text = text.replace(given, " ")
    return text


def _catalogue_words(lang: str) -> set[str]:
    data = yaml.safe_load((LABELS / f"review.{lang}.yaml").read_text(encoding="utf-8"))
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        else:
            found.update(w.casefold() for w in WORD.findall(re.sub(r"\{[^}]*\}", " ", str(node))))

    walk(data)
    return found


def _flat_keys(node, prefix=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _flat_keys(value, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix


# --- the report's language ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_report_has_no_word_of_the_other_language(tmp_path, lang):
    other = "en" if lang == "id" else "id"
    foreign = _catalogue_words(other) - _catalogue_words(lang)
    assert {"section", "harvest", "bagian", "penelaah"} & foreign  # the check can fail
    for text in _states(tmp_path, lang):
        found = sorted({w for w in WORD.findall(_prose(text)) if w.casefold() in foreign})
        assert not found, f"{other} words in the {lang} report: {found}\n{text}"


def _labels_used(folder: Path, lang: str, monkeypatch) -> set[str]:
    """The label keys the reports of every state ask for."""
    used = set()
    call, count = report._Words.__call__, report._Words.count

    def recording_call(self, key, **values):
        used.add(key)
        return call(self, key, **values)

    def recording_count(self, key, n, **values):
        used.add(key)
        return count(self, key, n, **values)

    monkeypatch.setattr(report._Words, "__call__", recording_call)
    monkeypatch.setattr(report._Words, "count", recording_count)
    folder.mkdir()
    _states(folder, lang)
    monkeypatch.undo()
    return used


def test_every_label_is_used_in_both_languages(tmp_path, monkeypatch):
    forms = re.compile(r"\.(one|other|single|zero)$")  # a count label's forms are one label
    catalogues = {
        lang: {forms.sub("", k) for k in _flat_keys(yaml.safe_load((LABELS / f"review.{lang}.yaml")
                                                                   .read_text("utf-8")))}
        for lang in ("id", "en")
    }
    assert catalogues["id"] == catalogues["en"]
    for lang in ("id", "en"):
        used = _labels_used(tmp_path / lang, lang, monkeypatch)
        assert catalogues[lang] - used == set(), f"{lang}: labels never used"
        assert used - catalogues[lang] == set(), f"{lang}: labels used and not in the catalogue"


def test_indonesian_sentences_read_as_written(tmp_path):
    path = tmp_path / "profile.id.docx"
    text = report.render_report(_every_kind(path, "id"), T0)
    assert "# Riwayat penelaahan profile.id.docx" in text
    assert "## Keadaan terkini (1 Desember 2026, pukul 22.40 UTC)" in text
    assert ("**Tidak diganti.** Data baru mengubah teks yang disusun pada 4 bagian yang telah Anda "
            "sunting.") in text
    assert "### Konflik pada bagian “Ringkasan”" in text
    assert ("Suntingan Anda dibaca dari `salinan.docx`, salinan dokumen ini dengan nama atau format "
            "lain.") in text
    assert "Paragraf ditambahkan di bawah judul “Data dasar”:" in text
    assert "Sel tabel hasil perhitungan diubah (Tabel 1, Kebumen, baris 2, kolom “Unit usaha”):" in text
    assert "Anda menghapus seluruh bagian ini." in text
    assert "Data baru tidak lagi menyusun bagian ini." in text
    assert "Bagian ini memuat perubahan terlacak dan komentar." in text
    assert "Komentar di luar bagian-bagian dokumen (sebelum judul pertama) tidak terbawa" in text
    assert "Berkas sebelumnya tidak dapat dibaca sebagai dokumen Word (File is not a zip file)" in text


# --- headings, differences ----------------------------------------------------------------------------


def test_sections_are_named_by_their_headings_never_by_ids(tmp_path):
    review = _every_kind(tmp_path / "profile.en.docx", "en")
    text = report.render_report(review, T0)
    for block, title in HEADINGS["en"].items():
        assert f"“{title}”" in text
        assert f"`{block}`" not in text and re.search(rf"(?<![\w-]){block}(?![\w-])", text) is None
    assert "“Extra note”" in text  # no heading known: a readable form of the id
    line = report.review_summary(review)
    assert "'Summary', 'Growth seeds', 'SWOT analysis', 'Extra note'" in line and "growth-seeds" not in line
    assert "\n" not in line


def test_the_reviewers_change_is_a_word_level_difference(tmp_path):
    text = report.render_report(_every_kind(tmp_path / "profile.en.docx", "en"), T0)
    # What the reviewer changed, with a few words around it; the far words are not quoted.
    assert "> … menjual genteng tanah liat **berglasir** ke pedagang pengumpul di …" in text
    # What the new data changes, in the same form.
    assert ("> Sentra ini memiliki ~~264~~ **280** unit usaha yang mempekerjakan ~~2.400~~ **2.500** "
            "tenaga kerja dan menjual …") in text
    assert "setiap bulan" not in text  # no long quote of the whole text
    assert "> Teks ~~lama~~ **baru**" in text  # an edit outside the blocks
    assert "The words are as generated; only the formatting or the layout differs." in text
    assert "You changed the formatting of this section (bold, italic, font and the like)." in text
    assert "This section holds paragraphs that you moved here from “Growth seeds”." in text
    only = report.render_report(Review(tmp_path / "p.en.docx", formatted=["markets"],
                                       headings=HEADINGS["en"]))
    assert "### Your work in “Markets”\n\nYou changed the formatting of this section" in only


def test_the_next_step_is_in_plain_words_with_the_command_on_its_own_line(tmp_path):
    path = tmp_path / "profile.en.docx"
    text = report.render_report(_every_kind(path, "en"), T0)
    assert ("Next step: bring the new figures into your text in Word, then ask the operator to harvest "
            "it; or use the new version (`profile.en.new.docx`) instead of your file.") in text
    command = f'cluster-reports harvest "{path.with_name("salinan.docx")}"'
    assert f"For the operator:\n\n```sh\n{command}\n```" in text
    prose = re.sub(r"```.*?```", " ", text, flags=re.S)
    assert "cluster-reports" not in prose


# --- the trail -----------------------------------------------------------------------------------------


def _conflict(path: Path, new: list[str]) -> Review:
    return Review(path, lang="id", conflicts=[Conflict("summary", MINE, OLD, new)],
                  headings=HEADINGS["id"], new_version=path.with_name("profile.id.new.docx"))


def test_the_trail_accumulates_and_a_render_with_nothing_new_adds_no_entry(tmp_path):
    path = tmp_path / "profile.id.docx"
    first = Review(path, lang="id", kept=["products"], headings=HEADINGS["id"],
                   generated={"products": OLD}, reviewer={"products": MINE},
                   outside=[Edit("added", "Data dasar", "Catatan penelaah tentang data.")],
                   history=tmp_path / HISTORY / "profile.id.20261201T224000000000Z.docx")
    assert report.record(first, T0) == tmp_path / "profile.id.review.md"
    report.record(_conflict(path, NEW), T0 + dt.timedelta(days=1))
    report.record(_conflict(path, NEW), T0 + dt.timedelta(days=1, hours=1))  # nothing new
    later = _conflict(path, [NEW[0].replace("280", "300")])
    report.record(later, T0 + dt.timedelta(days=2))

    entries = [json.loads(line) for line in (tmp_path / "profile.id.review.jsonl").read_text().splitlines()]
    assert [e["at"] for e in entries] == ["2026-12-01T22:40:00Z", "2026-12-02T22:40:00Z",
                                          "2026-12-03T22:40:00Z"]
    assert entries[1]["again"] == 1 and entries[1]["last"] == "2026-12-02T23:40:00Z"
    assert entries[0]["reviewer"] == {"products": MINE} and entries[0]["headings"]["products"]
    text = later.report.read_text(encoding="utf-8")
    now, log = text.split("## Catatan kronologis")
    assert "## Keadaan terkini (3 Desember 2026, pukul 22.40 UTC)" in now
    assert "~~264~~ **300**" in now and "**280**" not in now  # the current state is the latest
    # The edit not carried on the first day stays listed while the trail lasts, with where it is.
    assert ("Ditemukan pada 1 Desember 2026, pukul 22.40 UTC; suntingan itu masih ada dalam "
            "`history/profile.id.20261201T224000000000Z.docx`.") in now
    assert "Catatan penelaah tentang data." in now
    # The HTML twin, for a reviewer whose computer shows Markdown as code.
    page = (tmp_path / "profile.id.review.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in page and "<title>Riwayat penelaahan profile.id.docx</title>" in page
    assert "<s>264</s> <strong>300</strong>" in page
    assert log.strip().splitlines() == [
        "- **1 Desember 2026, pukul 22.40 UTC**: Teks Anda dipertahankan pada “Produk dan proses”; "
        "satu suntingan tidak terbawa; berkas sebelumnya disimpan sebagai "
        "`history/profile.id.20261201T224000000000Z.docx`.",
        "- **2 Desember 2026, pukul 22.40 UTC**: Konflik pada “Ringkasan”; tidak diganti; keadaan yang "
        "sama ditemukan sekali lagi, pada 2 Desember 2026, pukul 23.40 UTC.",
        "- **3 Desember 2026, pukul 22.40 UTC**: Konflik pada “Ringkasan”; tidak diganti.",
    ]


def test_the_trail_closes_into_history_when_no_reviewer_work_is_left(tmp_path):
    path = tmp_path / "profile.id.docx"
    report.record(_conflict(path, NEW), T0)
    done = Review(path, lang="id", history=tmp_path / HISTORY / "profile.id.x.docx")
    closed = report.record(done, T0 + dt.timedelta(days=1))
    assert done.trail_closed and closed == done.report
    assert closed.parent == tmp_path / HISTORY and closed.name.startswith("profile.id.review.20261202T")
    assert not (tmp_path / "profile.id.review.md").exists()
    assert not (tmp_path / "profile.id.review.jsonl").exists()
    assert not (tmp_path / "profile.id.review.html").exists() and closed.with_suffix(".html").is_file()
    kept = closed.with_suffix(".jsonl")
    assert [json.loads(line).get("closed") for line in kept.read_text().splitlines()] == [None, True]
    text = closed.read_text(encoding="utf-8")
    assert "riwayat ini ditutup; riwayat ini disimpan dalam folder `history/`" in text
    assert "Tidak ada lagi hasil kerja penelaah; riwayat ditutup." in text
    assert "Konflik pada “Ringkasan”" in text  # the log says what was settled
    assert report.review_summary(done) == (
        "no reviewer's work left: the review trail is closed and kept in history/")
    # Nothing open and nothing found: nothing written. New work starts a new trail.
    assert report.record(Review(path, lang="id"), T0 + dt.timedelta(days=2)) is None
    assert sorted(p.suffix for p in (tmp_path / HISTORY).glob("*.review.*")) == [".html", ".jsonl", ".md"]
    report.record(_conflict(path, NEW), T0 + dt.timedelta(days=3))
    assert len((tmp_path / "profile.id.review.jsonl").read_text().splitlines()) == 1


def test_a_report_of_an_older_version_is_moved_to_history_not_left_to_mislead(tmp_path):
    path = tmp_path / "profile.en.docx"
    old = tmp_path / "profile.en.review.md"
    old.write_text("# Review of profile.en.docx\n", encoding="utf-8")
    moved = report.record(Review(path), T0)
    assert not old.exists() and moved.read_text(encoding="utf-8") == "# Review of profile.en.docx\n"


# --- the console ---------------------------------------------------------------------------------------


def _console(monkeypatch) -> tuple[io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=out, highlight=False, soft_wrap=True, width=300))
    monkeypatch.setattr(cli, "err", Console(file=err, highlight=False, soft_wrap=True, width=300))
    return out, err


def test_the_console_names_a_conflict_in_the_reviewed_report(tmp_path, monkeypatch):
    out, err = _console(monkeypatch)
    path = tmp_path / "profile.id.docx"
    review = _conflict(path, NEW)
    report.record(review)
    outcome = render.Outcome("kebumen-roof-tile", Path("params/kebumen.yaml"), reviews=[review],
                             error=str(ReviewConflict(review)))
    assert cli._show(outcome) is False  # still a failure: exit status 1
    assert err.getvalue() == (
        f"conflict in the reviewed report {path}: 1 section edited by the reviewer ('Ringkasan') was "
        f"changed by the new data; not replaced; new version {path.with_name('profile.id.new.docx')}; "
        f"see {tmp_path / 'profile.id.review.md'}\n"
    )
    # Another failure of the same render is still an error, once.
    outcome.error += "\nTemplateError: profile.id.md.j2: line 3"
    _console(monkeypatch)
    out, err = _console(monkeypatch)
    cli._show(outcome)
    assert err.getvalue().count("conflict in the reviewed report") == 1
    assert "error params/kebumen.yaml: (render): TemplateError: profile.id.md.j2: line 3" in err.getvalue()


def test_the_console_line_of_a_kept_review(tmp_path, monkeypatch):
    out, _ = _console(monkeypatch)
    path = tmp_path / "profile.en.docx"
    review = Review(path, kept=["products"], headings=HEADINGS["en"],
                    outside=[Edit("added", "Basic data", "A note.")], source=tmp_path / "copy.docx")
    report.record(review)
    cli._show(render.Outcome("x", None, reviews=[review]))
    assert out.getvalue() == (
        f"reviewed: {path}: the reviewer's edits read from copy.docx; the reviewer's text kept in "
        f"1 section; 1 edit not carried into the new file; report {tmp_path / 'profile.en.review.md'}\n"
    )


# --- a real render ----------------------------------------------------------------------------------------


CLUSTER = "jawa-tengah/kebumen-roof-tile"


def test_a_real_conflict_is_recorded_reported_and_named_on_the_console(tmp_path):
    params = tmp_path / "params"
    shutil.copytree(ROOT / "params", params)
    cluster = params / "clusters" / f"{CLUSTER}.yaml"
    out = tmp_path / "out"
    args = ["render", str(cluster), "--params-root", str(params / "clusters"), "--doc", "profile",
            "--lang", "en", "--format", "docx", "--out", str(out)]
    runner = CliRunner()
    assert runner.invoke(cli.app, args).exit_code == 0
    path = out / CLUSTER / "profile.en.docx"
    edit_block(path, "summary", "Kebumen, in the reviewer's words: 2,400 workers.")

    def workers(n: int) -> None:
        text = cluster.read_text(encoding="utf-8")
        cluster.write_text(re.sub(r"(?m)^workers: \d+$", f"workers: {n}", text), encoding="utf-8")

    workers(2500)
    first = runner.invoke(cli.app, args)
    assert first.exit_code == 1
    review_md = path.with_name("profile.en.review.md")
    assert f"conflict in the reviewed report {path}: 1 section edited by the reviewer" in first.stderr
    assert f"see {review_md}" in first.stderr and "(render)" not in first.stderr
    assert "error" not in first.stderr
    runner.invoke(cli.app, args)  # the same again: no new entry
    workers(2600)
    assert runner.invoke(cli.app, args).exit_code == 1
    entries = trail.load(path)
    assert len(entries) == 2 and entries[0]["again"] == 1
    text = review_md.read_text(encoding="utf-8")
    heading = Review(path, headings=entries[-1]["headings"]).heading("summary")
    assert f"### Conflict in “{heading}”" in text and "`summary`" not in text
    assert "~~2,400~~ **2,600** workers" in text  # what the new data changes, word by word
    # Rewritten rather than edited: the reviewer's text, not a scatter of the words in common.
    assert ("What you changed, compared with the text generated before:\n\n"
            "You rewrote the whole section; your text:\n\n"
            "> Kebumen, in the reviewer's words: 2,400 workers.\n") in text
    assert text.count("- **") == 2  # two dated entries in the log


def test_the_reviewers_words_are_text_in_both_reports_not_markup(tmp_path):
    path = tmp_path / "profile.en.docx"
    review = Review(path, kept=["products"], headings={"products": "Products *and* <i>processes</i>"},
                    generated={"products": ["Tiles are fired in a kiln."]},
                    reviewer={"products": ["Tiles are <b>fired</b> in a *wood* kiln."]})
    report.record(review, T0)
    text = trail.report_path(path).read_text(encoding="utf-8")
    assert r"~~fired~~ **\<b\>fired\</b\>** in a **\*wood\*** kiln." in text
    page = trail.report_path(path, ".html").read_text(encoding="utf-8")
    assert "<b>" not in page and "<i>" not in page and "&lt;b&gt;fired&lt;/b&gt;" in page
    assert "Products *and* &lt;i&gt;processes&lt;/i&gt;" in page
