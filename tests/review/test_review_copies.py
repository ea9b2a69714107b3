"""The reviewer's file is found under another name or format: copies that carry the document's
record, .odt and .doc converted by LibreOffice (or reported where it is missing or fails), several
versions of the work reported as ambiguous, and copies set aside into history once merged."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import clients
import docx
import pytest
from checks import edit_block
from conftest import ROOT

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io
from cluster_reports.review import copies
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.outcome import HISTORY
from cluster_reports.writers.docx.properties import read_custom_properties, set_custom_properties

CLUSTER = "jawa-tengah/kebumen-roof-tile"
CLUSTER_ID = "kebumen-roof-tile"
REVIEWED = "Roof tiles, as the reviewer describes them."
OTHER = "Roof tiles, in a second reviewer's words."


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """One render of the sample's profile in both languages, copied by each test."""
    out = tmp_path_factory.mktemp("copies-render")
    loaded = params_io.load_file(ROOT / "params" / "clusters" / f"{CLUSTER}.yaml")
    everyone, _ = params_io.load_many([ROOT / "params" / "clusters"])
    peers = [summary.summarise(item) for item in everyone]
    outcome = render.render_cluster(loaded, ["profile"], ["en", "id"], ["docx"], out, peers,
                                    resources.templates())
    assert outcome.error is None, outcome.error
    return out / CLUSTER


@pytest.fixture
def folder(rendered, tmp_path) -> Path:
    """A document folder holding the generated English and Indonesian profiles."""
    target = tmp_path / CLUSTER_ID
    target.mkdir()
    for name in ("profile.en.docx", "profile.id.docx"):
        shutil.copy2(rendered / name, target / name)
    return target


def _find(folder: Path, lang: str = "en", **kwargs) -> copies.Found:
    return copies.find(folder / f"profile.{lang}.docx", CLUSTER_ID, "profile", lang, **kwargs)


def _copy(source: Path, name: str, text: str | None = REVIEWED, mtime: float | None = None) -> Path:
    """A copy of ``source`` under another name, with the products block rewritten."""
    target = source.with_name(name)
    shutil.copy2(source, target)
    if text is not None:
        edit_block(target, "products", text)
    if mtime is not None:
        os.utime(target, (mtime, mtime))
    return target


def _products(path: Path) -> list[str]:
    return reviewed_file.block_texts(path)["products"]


def _odt(path: Path, properties: dict[str, str]) -> Path:
    """An OpenDocument text whose metadata names a document as LibreOffice writes it from ours."""
    fields = "".join(f'<meta:user-defined meta:name="{k}" meta:value-type="string">{v}'
                     f"</meta:user-defined>" for k, v in properties.items())
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3">'
            f"<office:meta>{fields}</office:meta></office:document-meta>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("meta.xml", meta)
    return path


OURS = {"cluster_id": CLUSTER_ID, "document_kind": "profile", "language": "en"}


# --- copies under another name -------------------------------------------------------------------


def test_an_edited_copy_under_another_name_is_the_reviewers_file(folder):
    canonical = folder / "profile.en.docx"
    copy = _copy(canonical, "profile.en (reviewed).docx")
    with _find(folder) as found:
        assert found.candidates == [canonical, copy]
        assert found.worked == [copy]
        assert (found.reviewed, found.origin) == (copy, copy) and found.renamed
        assert not found.ambiguous and found.problems == []
        assert _products(found.reviewed) == [REVIEWED]


def test_a_copy_is_read_when_the_canonical_file_is_gone(folder):
    canonical = folder / "profile.en.docx"
    copy = _copy(canonical, "profile.en-rev2.docx", text=None)
    canonical.unlink()
    found = _find(folder)
    assert found.candidates == [copy] and found.reviewed == copy and found.renamed


def test_the_canonical_file_edited_in_place_is_read_and_nothing_is_set_aside(folder):
    canonical = folder / "profile.en.docx"
    backup = _copy(canonical, "profile.en (backup).docx", text=None, mtime=4_000_000_000)
    edit_block(canonical, "products", REVIEWED)
    found = _find(folder)
    # The backup, though saved later, holds what the tool wrote: the edited canonical file is read.
    assert found.candidates == [canonical, backup] and found.worked == [canonical]
    assert found.origin == canonical and not found.renamed and not found.ambiguous
    assert copies.set_aside(found) == []
    assert backup.is_file() and canonical.is_file()


def test_files_of_other_documents_and_our_own_files_are_not_candidates(folder, tmp_path):
    canonical = folder / "profile.en.docx"
    # The Indonesian edition under an English-looking name, another cluster's profile, a document
    # that is not ours at all.
    shutil.copy2(folder / "profile.id.docx", folder / "profile.en (old).docx")
    other = _copy(canonical, "profile.en (other cluster).docx")
    word = docx.Document(str(other))
    set_custom_properties(word, {"cluster_id": "jepara-furniture"})
    word.save(str(other))
    docx.Document().save(str(folder / "notes.docx"))
    # Our own new version, the word processors' lock files, history and a temporary write.
    for name in ("profile.en.new.docx", "~$ofile.en.docx", ".~lock.profile.en.docx#",
                 ".profile.en.docx.abc.part"):
        _copy(canonical, name)
    (folder / HISTORY).mkdir()
    _copy(canonical, "x.docx").rename(folder / HISTORY / "profile.en (reviewed).20261130T000000Z.docx")
    found = _find(folder)
    assert found.candidates == [canonical] and found.reviewed == canonical
    assert found.problems == []


def test_a_link_is_not_followed_and_a_broken_copy_is_reported(folder, tmp_path):
    outside = _copy(folder / "profile.en.docx", "elsewhere.docx")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outside = outside.rename(elsewhere / "profile.en.docx")
    (folder / "profile.en (reviewed).docx").symlink_to(outside)
    (folder / "profile.en (rev2).docx").write_text("not a Word document")
    found = _find(folder)
    assert found.candidates == [folder / "profile.en.docx"]
    assert found.problems == [
        "'profile.en (rev2).docx' could not be opened as a Word document and was not read. If it "
        "holds the reviewer's work, open it and save it again as a Word document (.docx).",
        "'profile.en (reviewed).docx' is a link to another file and was not read. If it holds the "
        "reviewer's work, put the file itself in this folder.",
    ]


# --- several versions ------------------------------------------------------------------------------


def test_two_edited_copies_are_ambiguous_and_nothing_is_set_aside(folder):
    first = _copy(folder / "profile.en.docx", "profile.en (reviewed).docx", REVIEWED, mtime=1000)
    second = _copy(folder / "profile.en.docx", "profile.en (Ani).docx", OTHER, mtime=2000)
    found = _find(folder)
    assert found.ambiguous and sorted(found.worked) == sorted([first, second])
    assert found.origin == second  # modified last: named, not to be written over
    [problem] = found.problems
    assert "'profile.en (Ani).docx' and 'profile.en (reviewed).docx'" in problem
    assert "Nothing was replaced" in problem
    with pytest.raises(ValueError, match="several versions hold reviewer work"):
        copies.set_aside(found)
    assert first.is_file() and second.is_file()


def test_ambiguity_is_told_in_the_documents_language(folder):
    _copy(folder / "profile.id.docx", "profile.id (ditelaah).docx", "Genteng menurut penelaah.")
    _copy(folder / "profile.id.docx", "profile.id (Budi).docx", "Genteng menurut Budi.")
    [problem] = _find(folder, "id").problems
    assert problem.startswith("Beberapa berkas di folder ini memuat suntingan yang berbeda atas "
                              "laporan ini: 'profile.id (Budi).docx' dan 'profile.id (ditelaah).docx'.")


def test_the_same_work_saved_twice_is_one_version_and_both_copies_are_set_aside(folder):
    canonical = folder / "profile.en.docx"
    first = _copy(canonical, "profile.en (reviewed).docx", mtime=1000)
    second = _copy(first, "profile.en-rev2.docx", text=None, mtime=2000)
    found = _find(folder)
    assert not found.ambiguous and found.problems == []
    assert found.origin == second and sorted(found.same) == sorted([first, second])
    moved = copies.set_aside(found)
    assert sorted(p.name.split(".2")[0] for p in moved) == ["profile.en (reviewed)", "profile.en-rev2"]
    assert all(p.parent == folder / HISTORY and p.suffix == ".docx" for p in moved)
    assert not first.exists() and not second.exists() and canonical.is_file()
    assert all(_products(p) == [REVIEWED] for p in moved)
    assert _find(folder).candidates == [canonical]  # not read again


def test_a_copy_saved_again_after_it_was_read_is_not_set_aside(folder):
    """Set aside moves the very file it read: a copy the reviewer saved again meanwhile (its newer
    work not yet in the canonical file) stays where it is, to be read by the next render."""
    canonical = folder / "profile.en.docx"
    copy = _copy(canonical, "profile.en (reviewed).docx", mtime=1000)
    found = _find(folder)
    assert found.same == [copy]
    _copy(canonical, "profile.en (reviewed).docx", text=OTHER, mtime=3000)  # saved again
    assert copies.set_aside(found) == []
    assert _products(copy) == [OTHER]
    assert not (folder / HISTORY).exists() or not list((folder / HISTORY).iterdir())


def test_a_file_marked_as_written_tells_kept_work_from_new_edits(folder):
    """After a merge the canonical file holds the reviewer's kept blocks: it differs from what was
    generated but not from what the tool wrote. A copy edited further is then the only work."""
    canonical = folder / "profile.en.docx"
    edit_block(canonical, "products", REVIEWED)  # kept by the last merge
    copy = _copy(canonical, "profile.en (reviewed).docx", REVIEWED + " More.", mtime=1000)
    assert _find(folder).ambiguous  # without the tool's mark, both differ from the generated text
    reviewed = reviewed_file.open_reviewed(canonical)
    written = copies.mark_written(reviewed.word)
    reviewed.word.save(str(canonical))
    assert read_custom_properties(canonical)[copies.WRITTEN_PROPERTY] == written
    found = _find(folder)
    assert not found.ambiguous and found.worked == [copy] and found.reviewed == copy
    edit_block(canonical, "summary", "Edited again in place.")
    assert _find(folder).ambiguous


# --- other formats, without and with LibreOffice ------------------------------------------------------


def test_without_libreoffice_an_odt_or_doc_is_reported_by_name(folder, monkeypatch):
    monkeypatch.setattr(copies, "find_soffice", lambda: None)
    _odt(folder / "profile.en (reviewed).odt", OURS)
    _odt(folder / "profile.id (ditelaah).odt", {**OURS, "language": "id"})  # not this document
    (folder / "profile.en-rev2.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # nothing says it is this report's
    found = _find(folder)
    assert found.reviewed == folder / "profile.en.docx" and found.temporary is None
    assert found.problems == [
        "'profile.en (reviewed).odt' may hold the reviewer's work, but it is in OpenDocument format "
        "(.odt) and LibreOffice, which is needed to read it, is not installed. The file was left as "
        "it is. Install LibreOffice, or open the file and save it as a Word document (.docx) in this "
        "folder, then generate the report again.",
        "'profile.en-rev2.doc' may hold the reviewer's work, but it is in the older Word format "
        "(.doc) and LibreOffice, which is needed to read it, is not installed. The file was left as "
        "it is. Install LibreOffice, or open the file and save it as a Word document (.docx) in this "
        "folder, then generate the report again.",
    ]
    [masalah] = _find(folder, "id").problems
    assert masalah.startswith("Berkas 'profile.id (ditelaah).odt' mungkin memuat hasil penelaahan")
    assert "LibreOffice, yang diperlukan untuk membacanya, tidak terpasang" in masalah


def test_a_libreoffice_that_hangs_is_killed_and_reported(folder, monkeypatch, tmp_path):
    pid_file = tmp_path / "soffice.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setattr(copies, "find_soffice", lambda: str(fake))
    _odt(folder / "profile.en (reviewed).odt", OURS)
    found = _find(folder, timeout=2)
    assert found.problems == [
        "'profile.en (reviewed).odt' could not be read: LibreOffice could not convert it (it did not "
        "finish in the time allowed, 2 s). The file was left as it is. Open it and save it as a Word "
        "document (.docx) in this folder, then generate the report again."
    ]
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    temporary = found.temporary
    found.cleanup()
    assert not temporary.exists()


def test_a_libreoffice_that_fails_is_reported_with_its_message(folder, monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(copies, "find_soffice", lambda: str(fake))
    _odt(folder / "profile.en (reviewed).odt", OURS)
    with _find(folder) as found:
        [problem] = found.problems
    assert "LibreOffice could not convert it (exit 1: Error: source file could not be loaded)" in problem


@pytest.fixture(scope="module")
def other_formats(rendered, tmp_path_factory) -> dict[str, Path]:
    """The reviewer's edited copy saved by LibreOffice as .odt and as .doc."""
    work = tmp_path_factory.mktemp("copies-formats")
    edited = _copy(rendered / "profile.en.docx", "edited.docx")
    edited = edited.rename(work / "edited.docx")
    soffice = clients.require_soffice()
    made = {}
    for to, name in (("odt", "odt"), ("doc:MS Word 97", "doc")):
        profile = work / f"profile-{name}"
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", to, "--outdir", str(work), str(edited)],
                       check=True, capture_output=True, timeout=180)
        made[name] = work / f"edited.{name}"
        assert made[name].is_file()
    return made


@pytest.mark.clients
def test_odt_and_doc_copies_are_converted_and_found(folder, other_formats):
    odt = folder / "profile.en (reviewed).odt"
    doc = folder / "profile.en-rev2.doc"
    shutil.copy2(other_formats["odt"], odt)
    shutil.copy2(other_formats["doc"], doc)
    os.utime(odt, (1000, 1000))
    os.utime(doc, (2000, 2000))
    before = sorted(p.name for p in folder.iterdir())
    with copies.find(folder / "profile.en.docx", CLUSTER_ID, "profile", "en") as found:
        assert found.problems == [] and not found.ambiguous
        assert found.candidates == [folder / "profile.en.docx", odt, doc]
        assert set(found.converted) == {odt, doc}
        # The record survives both formats: the converted files name the document and its blocks.
        for converted in found.converted.values():
            assert read_custom_properties(converted)["cluster_id"] == CLUSTER_ID
            assert _products(converted) == [REVIEWED]
        assert found.origin == doc and found.reviewed == found.converted[doc]
        assert found.reviewed.parent.is_relative_to(found.temporary)
        assert sorted(found.same) == sorted([odt, doc])  # the same work, saved twice
        temporary = found.temporary
    assert not temporary.exists()
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written beside them
    # The Indonesian edition: the .odt says in its metadata, the .doc was converted once already.
    with copies.find(folder / "profile.id.docx", CLUSTER_ID, "profile", "id") as other:
        assert other.candidates == [folder / "profile.id.docx"] and other.temporary is None
    moved = copies.set_aside(found)
    assert sorted(p.suffix for p in moved) == [".doc", ".odt"]
    assert not odt.exists() and not doc.exists()
