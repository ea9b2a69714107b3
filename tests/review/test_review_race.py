"""A reviewer who saves the .docx while a render replaces it loses nothing: a real render of the
Kebumen profile, and a writer thread that saves a reviewer's edit at each moment of the write step
(hooked by wrapping the steps of ``review.replace``), atomically (a temporary file renamed over
the document) or in place and slowly (truncated, half written, a pause, the rest). After each
race: the edit is in the .docx or in the .new.docx beside it, every history/ copy opens as a Word
document, no temporary file is left, and the render says what it did."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest
from checks import edit_block
from conftest import ROOT

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io
from cluster_reports.review import copies, merge, replace
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.outcome import HISTORY, sibling

CLUSTER = "jawa-tengah/kebumen-roof-tile"
BLOCK = "summary"  # the block the racing save edits
TEXT = "Saved by the reviewer while the render replaced the file."
EARLIER = "markets"  # a block edited and kept before the race (the file then holds reviewer work)
QUIET = 0.4  # seconds a file must stand still (1 s in use): the slow saves below pause around it

# Moments of the write step at which the reviewer's save lands, as (function of ``replace`` or
# ``copies`` to wrap, save "before" or "after" it runs).
MOMENTS = {
    "after the folder was read": (copies, "find", "after"),
    "before the re-check": (replace, "_unchanged", "before"),
    "between the re-check and the move": (replace, "_unchanged", "after"),
    "between the move and its verification": (replace, "_verify", "before"),
    "between the verification and the link": (replace, "_put", "before"),
    "after the link": (replace, "_put", "after"),
}
AFTER_THE_REPLACE = "after the link"  # the save replaces the new version: it is the document then


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    target = tmp_path_factory.mktemp("race") / "params"
    shutil.copytree(ROOT / "params", target)
    params = target / "clusters"
    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    everyone, _ = params_io.load_many([params])
    return loaded, [summary.summarise(item) for item in everyone]


@pytest.fixture(scope="module")
def bases(sample, tmp_path_factory) -> dict[str, Path]:
    """Two starting points: the document as generated (sealed: nobody saved it), and one holding a
    reviewer's kept edit (replacing it moves it into history/)."""
    out = tmp_path_factory.mktemp("bases")
    assert _render(sample, out / "generated").error is None
    edited = out / "edited" / CLUSTER / "profile.en.docx"
    edited.parent.mkdir(parents=True)
    shutil.copy2(out / "generated" / CLUSTER / "profile.en.docx", edited)
    edit_block(edited, EARLIER, "Markets, as the reviewer put it before the race.")
    outcome = _render(sample, out / "edited")
    assert outcome.error is None and outcome.reviews[0].kept == [EARLIER]
    return {"generated": out / "generated" / CLUSTER / "profile.en.docx", "edited": edited}


@pytest.fixture
def quiet(monkeypatch):
    monkeypatch.setattr(replace, "QUIET", QUIET)


def _render(sample, out: Path) -> render.Outcome:
    loaded, peers = sample
    return render.render_cluster(loaded, ["profile"], ["en"], ["docx"], out, peers, resources.templates())


def _start(base: Path, folder: Path) -> Path:
    doc = folder / CLUSTER / "profile.en.docx"
    doc.parent.mkdir(parents=True)
    shutil.copy2(base, doc)
    return doc


def save_atomically(doc: Path, data: bytes) -> None:
    """As Word and LibreOffice save: a new file beside it, renamed over it."""
    tmp = doc.with_name(f".~{doc.name}.saving")
    tmp.write_bytes(data)
    os.replace(tmp, doc)


def save_in_place(doc: Path, data: bytes, pause: float, half_written: threading.Event) -> None:
    """A slow save over the file itself: truncated, half written, a pause, the rest."""
    with open(doc, "wb") as handle:
        handle.write(data[: len(data) // 2])
        handle.flush()
        os.fsync(handle.fileno())
        half_written.set()
        time.sleep(pause)
        handle.write(data[len(data) // 2:])


def _hook(monkeypatch, moment: str, save) -> list[bool]:
    """Wrap the moment's function so that ``save()`` runs there, the first time it is called."""
    module, name, when = MOMENTS[moment]
    original = getattr(module, name)
    done: list[bool] = []

    def wrapped(*args, **kwargs):
        if when == "before" and not done:
            done.append(True)
            save()
        result = original(*args, **kwargs)
        if when == "after" and not done:
            done.append(True)
            save()
        return result

    monkeypatch.setattr(module, name, wrapped)
    return done


def _text(path: Path) -> str:
    return " ".join(reviewed_file.block_texts(path).get(BLOCK, []))


def _check(doc: Path, text: str, outcome: render.Outcome) -> str:
    """The edit is in the .docx or the .new.docx beside it, every history copy is a Word document,
    nothing temporary is left; returns where the edit is ("kept", "theirs", "beside")."""
    new = sibling(doc, "new")
    in_doc = text in _text(doc)
    assert in_doc or (new.exists() and text in _text(new)), "the reviewer's edit was lost"
    for copy in (doc.parent / HISTORY).glob("*.docx"):
        with zipfile.ZipFile(copy) as archive:  # raises on a truncated copy
            assert "word/document.xml" in archive.namelist(), copy
    assert not [p.name for p in doc.parent.iterdir() if p.name.startswith(".")]
    # The render says what it did: kept the edit, or that it left the file alone (and why).
    if outcome.error:
        assert "not replaced" in outcome.error and new.exists()
        assert in_doc  # the reviewer's file, left alone
        return "beside"
    if outcome.reviews and BLOCK in outcome.reviews[0].kept:
        return "kept"
    return "theirs"  # saved after the new version was in place: their save is the document


def _edited_earlier(doc: Path, base: str) -> None:
    """The edit kept before the race is still in the .docx (or the .new.docx) too."""
    if base == "edited":
        found = [" ".join(reviewed_file.block_texts(p).get(EARLIER, []))
                 for p in (doc, sibling(doc, "new")) if p.exists()]
        assert any("before the race" in t for t in found)


@pytest.fixture(scope="module")
def versions(bases, tmp_path_factory) -> dict[str, bytes]:
    """What the reviewer saves, for each starting point: the file as they opened it (before the
    render), with ``TEXT`` in the block."""
    folder = tmp_path_factory.mktemp("versions")
    saved = {}
    for base, path in bases.items():
        draft = folder / f"{base}.docx"
        shutil.copy2(path, draft)
        edit_block(draft, BLOCK, TEXT)
        saved[base] = draft.read_bytes()
    return saved


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("base", ["generated", "edited"])
def test_an_atomic_save_at_any_moment_of_the_write_is_kept(sample, bases, versions, base, moment,
                                                           tmp_path, monkeypatch):
    doc = _start(bases[base], tmp_path)
    data = versions[base]
    done = _hook(monkeypatch, moment, lambda: save_atomically(doc, data))
    outcome = _render(sample, doc.parents[2])
    assert done
    where = _check(doc, TEXT, outcome)
    _edited_earlier(doc, base)
    if moment == AFTER_THE_REPLACE:
        assert where == "theirs" and doc.read_bytes() == data  # their save came last: it is the document
        monkeypatch.undo()
        again = _render(sample, doc.parents[2])  # regenerated with nobody saving: their edit is kept
        assert again.error is None and BLOCK in again.reviews[0].kept and TEXT in _text(doc)
    else:
        assert where == "kept"
        assert outcome.reviews[0].reread == 1  # read again, once, and merged


# (moment, pause in the middle of the slow save); "before reading": the save is half written when
# the render first looks at the file. Only a pause longer than QUIET makes the render give up.
SLOW = list(zip(MOMENTS, (0.05, 0.25, 0.1, 0.3, 0.05, 0.2), strict=True))
SLOW += [("before reading", 0.25), ("before reading", QUIET + 0.6)]


@pytest.mark.parametrize(("moment", "pause"), SLOW, ids=[f"{m}-{p:g}s" for m, p in SLOW])
@pytest.mark.parametrize("base", ["generated", "edited"])
def test_a_slow_save_in_place_during_the_render_is_kept(sample, bases, versions, base, moment, pause,
                                                        tmp_path, monkeypatch, quiet):
    doc = _start(bases[base], tmp_path)
    data = versions[base]
    half_written = threading.Event()
    writer = threading.Thread(target=save_in_place, args=(doc, data, pause, half_written))

    def begin():
        writer.start()
        assert half_written.wait(5)  # the render goes on over a half-written file

    if moment == "before reading":
        _wrap_settle(monkeypatch, begin)
    else:
        _hook(monkeypatch, moment, begin)
    outcome = _render(sample, doc.parents[2])
    writer.join(10)
    assert not writer.is_alive()
    where = _check(doc, TEXT, outcome)
    _edited_earlier(doc, base)
    if pause > QUIET:  # still half written when the render read it: left alone, the reason given
        assert where == "beside" and "could not be opened as a Word document" in outcome.error
    elif moment == AFTER_THE_REPLACE:
        assert where == "theirs"  # they wrote over the new version
    else:
        assert where == "kept"
    assert doc.read_bytes() == data or where == "kept"


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.2, 0.3, 0.45])
def test_a_slow_save_at_any_time_during_the_render_is_never_lost(sample, bases, versions, delay, tmp_path,
                                                                 quiet):
    """Not hooked: the save starts ``delay`` seconds into the render, wherever the render is then."""
    doc = _start(bases["edited"], tmp_path)
    data = versions["edited"]
    writer = threading.Timer(delay, save_in_place, args=(doc, data, 0.15, threading.Event()))
    writer.start()
    outcome = _render(sample, doc.parents[2])
    writer.join(10)
    where = _check(doc, TEXT, outcome)
    _edited_earlier(doc, "edited")
    assert doc.read_bytes() == data or where == "kept"


def _wrap_settle(patch, begin) -> None:
    original = replace.settle
    done = []

    def wrapped(path, **kwargs):
        if not done:
            done.append(True)
            begin()
        return original(path, **kwargs)

    patch.setattr(replace, "settle", wrapped)


def test_a_history_copy_that_fails_to_verify_stops_the_replace(sample, bases, tmp_path, monkeypatch):
    doc = _start(bases["edited"], tmp_path / "out")
    edit_block(doc, BLOCK, "An edit whose file cannot be kept in history.")
    before, inode = doc.read_bytes(), doc.stat().st_ino
    real = replace._is_word
    monkeypatch.setattr(replace, "_is_word",
                        lambda source: False if isinstance(source, Path) and HISTORY in source.parts
                        else real(source))
    outcome = _render(sample, doc.parents[2])
    assert "could not be kept safely in history/" in outcome.error and "not replaced" in outcome.error
    assert doc.read_bytes() == before and doc.stat().st_ino == inode  # the very file, put back
    assert "An edit whose file" in _text(sibling(doc, "new"))  # merged, beside
    assert not list((doc.parent / HISTORY).glob("profile.en.2*.docx"))[1:]  # only the earlier one
    assert not [p.name for p in doc.parent.iterdir() if p.name.startswith(".")]


def test_a_file_with_work_is_moved_into_history_as_it_is(sample, bases, tmp_path):
    doc = _start(bases["edited"], tmp_path / "out")
    edit_block(doc, BLOCK, "Kept, and its file moved into history.")
    before, inode = doc.read_bytes(), doc.stat().st_ino
    outcome = _render(sample, doc.parents[2])
    [review] = outcome.reviews
    assert review.history.read_bytes() == before and review.history.stat().st_ino == inode
    assert "Kept, and its file" in _text(doc) and review.reread == 0


def test_an_unreadable_file_is_never_replaced(sample, bases, tmp_path, quiet):
    doc = _start(bases["edited"], tmp_path / "out")
    doc.write_bytes(bases["edited"].read_bytes()[:5000])  # half a save, left long ago
    old = time.time() - 3600
    os.utime(doc, (old, old))
    started = time.monotonic()
    outcome = _render(sample, doc.parents[2])
    assert time.monotonic() - started < QUIET + 5  # not waited for: nobody is saving it
    assert "could not be opened as a Word document" in outcome.error and "not replaced" in outcome.error
    assert doc.read_bytes() == bases["edited"].read_bytes()[:5000]
    assert sibling(doc, "new").exists()
    # Just written (a save that stopped half way): waited for, then left alone all the same.
    doc.write_bytes(bases["edited"].read_bytes()[:5000])
    started = time.monotonic()
    outcome = _render(sample, doc.parents[2])
    assert time.monotonic() - started >= QUIET
    assert "could not be opened as a Word document" in outcome.error
    assert len(doc.read_bytes()) == 5000


def test_a_new_file_saved_where_there_was_none_is_not_overwritten(tmp_path):
    doc = tmp_path / "profile.en.docx"

    def produce(tmp: Path) -> None:
        tmp.write_bytes(b"ours")
        doc.write_bytes(b"theirs")  # a reviewer's "save as" lands before ours is put in place

    with pytest.raises(replace.Changed, match="saved"):
        replace.place(doc, produce, None)
    assert doc.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["profile.en.docx"]


def test_without_rebuild_a_change_is_reported_at_once(sample, bases, versions, tmp_path, monkeypatch):
    doc = _start(bases["generated"], tmp_path / "out")
    data = versions["generated"]
    _hook(monkeypatch, "before the re-check", lambda: save_atomically(doc, data))
    real = merge.write_docx_keeping_edits
    monkeypatch.setattr(merge, "write_docx_keeping_edits",
                        lambda word, prefixes, path, lang="en", rebuild=None: real(word, prefixes, path,
                                                                                   lang))
    outcome = _render(sample, doc.parents[2])
    assert "was saved again while the new version" in outcome.error
    assert doc.read_bytes() == data and sibling(doc, "new").exists()


def test_an_interrupt_with_the_file_moved_puts_it_back(sample, bases, versions, tmp_path, monkeypatch):
    doc = _start(bases["edited"], tmp_path)
    doc.write_bytes(versions["edited"])
    inode = doc.stat().st_ino

    def interrupted(moved, read):
        raise KeyboardInterrupt

    monkeypatch.setattr(replace, "_verify", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _render(sample, doc.parents[2])
    assert doc.stat().st_ino == inode and doc.read_bytes() == versions["edited"]
    assert not [p.name for p in doc.parent.iterdir() if p.name.startswith(".")]


def test_a_file_left_aside_by_a_killed_render_is_put_back(sample, bases, versions, tmp_path):
    doc = _start(bases["edited"], tmp_path)
    doc.write_bytes(versions["edited"])
    gone = subprocess.Popen(["true"])
    gone.wait()
    aside = doc.with_name(f".{doc.name}.{gone.pid}.1.replaced")  # killed between steps 3 and 4
    os.rename(doc, aside)
    outcome = _render(sample, doc.parents[2])
    assert outcome.error is None and BLOCK in outcome.reviews[0].kept and TEXT in _text(doc)
    assert not [p.name for p in doc.parent.iterdir() if p.name.startswith(".")]
