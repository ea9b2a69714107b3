"""The reviewer's file of a document about to be (re)written, whatever its name or format.

A reviewer often saves the report under another name (``profile.en (reviewed).docx``,
``profile.en-rev2.docx``) or in another format (``.odt``, ``.doc``). ``find`` looks for it before a
document is merged and written, so that the work is read rather than overwritten.

The rules:

- Only the document's own folder is looked at: not ``history/`` nor any other sub-folder, not our
  own ``*.new.docx``, not hidden or temporary files (``.~lock*``, ``~$*``, names starting with a
  dot, such as an atomic write's ``.part``). Symbolic links are never followed (a link is reported
  and left alone), so no file outside the folder is ever read.
- A ``.docx`` is a *candidate* when its custom properties ``cluster_id``, ``document_kind`` and
  ``language`` (see ``writers/docx/properties.py``) name this document. The canonical file, when it
  exists, is always a candidate: it is the document's place, and the merge decides what it holds.
- An ``.odt`` or ``.doc`` is a candidate when, converted to .docx by LibreOffice, it carries the same
  record: LibreOffice 7.4 keeps the custom properties and the blocks' bookmarks through .odt and
  .doc (tested). All such files are converted in one LibreOffice run, with a throw-away profile and a
  timeout (then killed by its process group id), from copies in a temporary folder; the converted
  .docx is read from there and the reviewer's folder is not written to. An .odt names its document
  in its own metadata, so without LibreOffice it is still recognised and reported; a .doc cannot be
  read without LibreOffice, and is then reported when its name starts with the document's
  (``profile.en…doc``). What a converted .doc names is remembered for the process (by path, size and
  time), so the other documents of its folder do not convert it again.
- A candidate holds *reviewer work* when its text (blocks, paragraphs outside them), tracked changes
  or comments differ from what the tool wrote into it: from the fingerprint the tool records when it
  writes the file (``cr_written``, see ``mark_written``), or, in a file without one, from the record
  of what was generated (``cr_generated``, ``cr_outside``). A file that carries no such record
  counts as work (nothing says otherwise); one that cannot be opened is left to the merge (the
  canonical file) or reported (a copy). The caller may pass its own test (``edited``), e.g. one
  that also compares the formatting.
- One candidate: it is the reviewer's file (the merge tells edits from none). Several: the one
  with reviewer work is read; candidates whose work is the same text (a file saved again under
  another name or format, with no further edit) count as one, and the one modified last is read.
  No candidate with work: the canonical file is read (or, without one, the one modified last).
  Work in more than one version is *ambiguous*: the one modified last is named, a problem says which
  files differ, and the caller must then write nothing over them (``Found.ambiguous``).
- After the merge, ``set_aside`` moves the copies that were read (under another name than the
  canonical file's) into ``history/``, named after themselves and the time, so that they are not
  read again; the candidates that were not read are left as they are.

Problems (a file that could not be converted, LibreOffice missing, ambiguity, a link) are
sentences in the document's language, naming the file and what to do; none of them is raised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from cluster_reports.review import outside, replace
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.outcome import HISTORY
from cluster_reports.writers.docx import blocks as docx_blocks
from cluster_reports.writers.docx.formatting import fingerprint as format_of
from cluster_reports.writers.docx.properties import read_custom_properties, set_custom_properties
from cluster_reports.writers.docx.reading import Reading

WRITTEN_PROPERTY = "cr_written"  # fingerprint of the text as the tool wrote it (see mark_written)
CONVERTED = (".odt", ".doc")  # formats LibreOffice converts to .docx for reading
TIMEOUT = 180.0  # seconds for one LibreOffice run converting all of a folder's files
_ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_IDENTITY = ("cluster_id", "document_kind", "language")
# What a converted .doc names, by (path, size, time): a folder's documents are written one after
# another, and a .doc of one of them need not be converted again for each of the others.
_DOC_IDENTITY: dict[tuple[str, int, int], dict[str, str]] = {}

_TEXT = {
    "en": {
        "no_soffice": "'{name}' may hold the reviewer's work, but it is {format} and LibreOffice, "
                      "which is needed to read it, is not installed. The file was left as it is. "
                      "Install LibreOffice, or open the file and save it as a Word document (.docx) "
                      "in this folder, then generate the report again.",
        "failed": "'{name}' could not be read: LibreOffice could not convert it ({reason}). The file "
                  "was left as it is. Open it and save it as a Word document (.docx) in this "
                  "folder, then generate the report again.",
        "unreadable": "'{name}' could not be opened as a Word document and was not read. If it holds "
                      "the reviewer's work, open it and save it again as a Word document (.docx).",
        "link": "'{name}' is a link to another file and was not read. If it holds the reviewer's "
                "work, put the file itself in this folder.",
        "ambiguous": "Several files in this folder hold different edits of this report: {names}. "
                     "Nothing was replaced, so that no one's work is lost. Keep the file to be used "
                     "(under any name), bring into it what is needed from the others and move them "
                     "out of this folder, then generate the report again.",
        "odt": "in OpenDocument format (.odt)",
        "doc": "in the older Word format (.doc)",
        "timeout": "it did not finish in the time allowed, {seconds:g} s",
        "no_output": "no file was produced",
        "and": "and",
    },
    "id": {
        "no_soffice": "Berkas '{name}' mungkin memuat hasil penelaahan, tetapi berkas itu {format}, "
                      "sedangkan LibreOffice, yang diperlukan untuk membacanya, tidak terpasang. "
                      "Berkas itu dibiarkan apa adanya. Pasanglah LibreOffice, atau buka berkas itu "
                      "dan simpan sebagai dokumen Word (.docx) di folder ini, lalu buat laporan ini "
                      "kembali.",
        "failed": "Berkas '{name}' tidak dapat dibaca karena LibreOffice tidak dapat mengubahnya "
                  "({reason}). Berkas itu dibiarkan apa adanya. Bukalah berkas itu dan simpan "
                  "sebagai dokumen Word (.docx) di folder ini, lalu buat laporan ini kembali.",
        "unreadable": "Berkas '{name}' tidak dapat dibuka sebagai dokumen Word dan tidak dibaca. "
                      "Jika berkas itu memuat hasil penelaahan, bukalah dan simpan kembali sebagai "
                      "dokumen Word (.docx).",
        "link": "Berkas '{name}' merupakan tautan ke berkas lain dan tidak dibaca. Jika berkas itu "
                "memuat hasil penelaahan, letakkan berkas aslinya di folder ini.",
        "ambiguous": "Beberapa berkas di folder ini memuat suntingan yang berbeda atas laporan ini: "
                     "{names}. Tidak ada berkas yang diganti agar tidak ada hasil kerja yang "
                     "hilang. Pertahankan berkas yang akan dipakai (dengan nama apa pun), masukkan "
                     "ke dalamnya bagian yang diperlukan dari berkas lainnya, pindahkan berkas "
                     "lainnya keluar dari folder ini, lalu buat laporan ini kembali.",
        "odt": "berformat OpenDocument (.odt)",
        "doc": "berformat Word lama (.doc)",
        "timeout": "prosesnya tidak selesai dalam batas waktu {seconds:g} detik",
        "no_output": "tidak ada berkas yang dihasilkan",
        "and": "dan",
    },
}


@dataclass
class Found:
    """What ``find`` found for one document. Use it as a context manager (or call ``cleanup``) so
    that the temporary folder of converted files is removed."""

    path: Path  # the canonical .docx (it may not exist)
    reviewed: Path | None = None  # the .docx to read as the reviewer's file (None: nothing to read)
    origin: Path | None = None  # the reviewer's file as they saved it (for messages)
    candidates: list[Path] = field(default_factory=list)  # files carrying this document's record
    worked: list[Path] = field(default_factory=list)  # candidates holding reviewer work (told apart
    # only when there are several: a single candidate is read, and the merge finds its edits)
    same: list[Path] = field(default_factory=list)  # candidates holding the work that is read
    # (size, mtime, inode) of each of ``same`` when it was read: one saved since is not set aside
    seen: dict[Path, tuple[int, int, int]] = field(default_factory=dict)
    converted: dict[Path, Path] = field(default_factory=dict)  # .odt/.doc -> its converted .docx
    problems: list[str] = field(default_factory=list)  # sentences in the document's language
    ambiguous: bool = False  # work in several versions: the caller must not overwrite anything
    temporary: Path | None = None  # the folder of converted files (removed by cleanup)

    @property
    def renamed(self) -> bool:
        """The reviewer's file is not the canonical one (another name or format): say so."""
        return self.origin is not None and self.origin != self.path

    def cleanup(self) -> None:
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None

    def __enter__(self) -> Found:
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()


Edited = Callable[[reviewed_file.Reviewed], bool]


def find(path: Path, cluster_id: str, kind: str, lang: str, *, edited: Edited | None = None,
         timeout: float = TIMEOUT) -> Found:
    """The reviewer's file for the document whose canonical .docx is ``path`` and whose record
    names ``cluster_id`` ("" for a general edition), ``kind`` and ``lang`` (see the module's
    docstring for the rules)."""
    path = Path(path)
    found = Found(path)
    text = _TEXT.get(lang, _TEXT["en"])
    folder = path.parent
    if not folder.is_dir():
        return found
    identity = {"cluster_id": cluster_id, "document_kind": kind, "language": lang}
    to_convert: list[Path] = []
    unknown_doc: list[Path] = []  # .doc files that only LibreOffice can identify
    for entry in sorted(folder.iterdir()):
        suffix = entry.suffix.lower()
        if suffix not in (".docx", *CONVERTED) or _ignored(entry.name):
            continue
        if entry.is_symlink():
            found.problems.append(text["link"].format(name=entry.name))
            continue
        if not entry.is_file():
            continue
        if suffix == ".docx":
            try:
                properties = read_custom_properties(entry)
            except Exception:  # noqa: BLE001 - not a readable .docx
                if entry == path:
                    found.candidates.append(entry)  # the merge reports it and keeps it in history
                elif _named_after(entry, path):
                    found.problems.append(text["unreadable"].format(name=entry.name))
                continue
            if entry == path or _names(properties, identity):
                found.candidates.append(entry)
        elif suffix == ".odt":
            if _names(_odt_properties(entry), identity):
                to_convert.append(entry)
        else:
            known = _DOC_IDENTITY.get(_signature(entry))
            if known is None or _names(known, identity):
                to_convert.append(entry)
                unknown_doc.append(entry)
    if to_convert:
        _convert_all(found, to_convert, unknown_doc, identity, path, text, timeout)
    found.candidates.sort(key=lambda p: (p != path, p.name))  # the canonical file first
    _choose(found, edited or reviewer_work, text)
    return found


def _ignored(name: str) -> bool:
    lowered = name.lower()
    return name.startswith((".", "~$")) or lowered.endswith(".new.docx")


def _named_after(entry: Path, path: Path) -> bool:
    """``profile.en (reviewed).doc``, ``profile.en-rev2.doc`` are named after ``profile.en.docx``;
    ``profile.english.doc`` is not."""
    stem, own = entry.stem.lower(), path.stem.lower()
    return stem.startswith(own) and (len(stem) == len(own) or not stem[len(own)].isalnum())


def _names(properties: dict[str, str], identity: dict[str, str]) -> bool:
    return all(properties.get(key) == value for key, value in identity.items())


def _odt_properties(path: Path) -> dict[str, str]:
    """The user-defined properties of an .odt (``meta.xml``), where LibreOffice keeps a .docx's
    custom properties; {} if it has none or is not an OpenDocument file."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("meta.xml"))
    except Exception:  # noqa: BLE001 - not ours, or not readable: LibreOffice is not asked either
        return {}
    name = f"{{{_ODF_META}}}name"
    return {el.get(name, ""): el.text or "" for el in root.iter(f"{{{_ODF_META}}}user-defined")}


def find_soffice() -> str | None:
    """LibreOffice's command, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert_all(found: Found, files: list[Path], unknown_doc: list[Path],
                 identity: dict[str, str], path: Path, text: dict[str, str], timeout: float) -> None:
    """Convert ``files`` to .docx in one LibreOffice run; the converted ones that name this document
    become candidates."""

    def worth_telling(source: Path) -> bool:  # a .doc of another document is not ours to mention
        return source not in unknown_doc or _named_after(source, path)

    soffice = find_soffice()
    if soffice is None:
        for source in files:
            if worth_telling(source):
                found.problems.append(text["no_soffice"].format(
                    name=source.name, format=text[source.suffix.lower().lstrip(".")]))
        return
    found.temporary = Path(tempfile.mkdtemp(prefix="cluster-reports-copies-"))
    inbox, outbox = found.temporary / "in", found.temporary / "out"
    inbox.mkdir()
    # Copies with distinct stems: profile.en.odt and profile.en.doc would convert to the same name,
    # and LibreOffice never writes beside the reviewer's files.
    inputs = []
    for i, source in enumerate(files):
        copy = inbox / f"{i}{source.suffix.lower()}"
        shutil.copyfile(source, copy)
        inputs.append(copy)
    profile = found.temporary / "profile"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "docx", "--outdir", str(outbox), *map(str, inputs)]
    reason = text["no_output"]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
    except OSError as exc:
        proc, reason = None, str(exc)
    if proc is not None:
        try:
            _out, err = proc.communicate(timeout=timeout)
            tail = [line for line in (err or "").splitlines() if "javaldx" not in line]
            if proc.returncode != 0:
                reason = f"exit {proc.returncode}" + (f": {tail[-1]}" if tail else "")
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice and its soffice.bin, by their group's id
            proc.communicate()
            reason = text["timeout"].format(seconds=timeout)
    for i, source in enumerate(files):
        converted = outbox / f"{i}.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            if worth_telling(source):
                found.problems.append(text["failed"].format(name=source.name, reason=reason))
            continue
        try:
            properties = read_custom_properties(converted)
        except Exception:  # noqa: BLE001 - LibreOffice wrote something unreadable
            properties = {}
        if source in unknown_doc:
            _DOC_IDENTITY[_signature(source)] = {k: properties.get(k, "") for k in _IDENTITY}
        if _names(properties, identity):
            found.candidates.append(source)
            found.converted[source] = converted


def _signature(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def reviewer_work(reviewed: reviewed_file.Reviewed) -> bool:
    """Whether the file differs from what the tool wrote into it (text, tracked changes,
    comments): from its ``cr_written`` fingerprint, else from its record of what was generated."""
    if reviewed.damage is not None:
        return True  # a record that cannot be trusted says nothing of what was edited
    written = reviewed.properties.get(WRITTEN_PROPERTY)
    if written:
        return fingerprint(reviewed.reading, reviewed.word) != written
    generated = reviewed.generated
    if generated is None:
        return True  # no record: nothing says the file holds no one's work
    reading = reviewed.reading
    texts = {block: span.texts() for block, span in reading.blocks.items()}
    layout = reviewed.layout
    formats = reviewed.formats
    return (texts != generated
            or any(docx_blocks.annotations(span.elements) for span in reading.blocks.values())
            or any(b in formats and format_of(span.elements, reviewed.word) != formats[b]
                   for b, span in reading.blocks.items())
            or bool(outside.recorded_edits(reading, layout, set()) if layout is not None
                    else outside.outside_edits(reading.outside_texts(), reviewed.generated_outside or []))
            or bool(reading.annotated_outside))


def fingerprint(reading: Reading, word) -> str:
    """A short digest of a document's text as a reader sees it: its blocks' paragraphs and their
    formatting, the paragraphs outside them, and where tracked changes and comments are."""
    content = {
        "blocks": {block: span.texts() for block, span in reading.blocks.items()},
        "formats": {block: format_of(span.elements, word) for block, span in reading.blocks.items()},
        "annotated": {block: docx_blocks.annotations(span.elements)
                      for block, span in reading.blocks.items()},
        "outside": [t for _h, t in reading.outside_texts()],
        "outside_annotations": reading.annotated_outside,
    }
    blob = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:32]


def mark_written(word) -> str:
    """Record in a document about to be saved (``cr_written``) the fingerprint of its text as
    written, blocks kept from a reviewer included: a later ``find`` then tells a file nobody
    touched since from one edited again. Returns the fingerprint."""
    value = fingerprint(reviewed_file.reading_of(Path(), word).reading, word)
    set_custom_properties(word, {WRITTEN_PROPERTY: value})
    return value


def _choose(found: Found, edited: Edited, text: dict[str, str]) -> None:
    if not found.candidates:
        return
    if len(found.candidates) == 1:
        _read(found, found.candidates[0], found.candidates)
        return
    prints: dict[Path, str] = {}
    for candidate in found.candidates:
        try:
            opened = reviewed_file.open_reviewed(found.converted.get(candidate, candidate))
        except Exception:  # noqa: BLE001 - unreadable: the merge (canonical) or a problem says so
            continue
        if edited(opened):
            found.worked.append(candidate)
            prints[candidate] = fingerprint(opened.reading, opened.word)
    if not found.worked:
        canonical = found.path if found.path in found.candidates else _latest(found.candidates)
        _read(found, canonical, [canonical])
        return
    latest = _latest(found.worked)
    versions = {prints[p] for p in found.worked}
    _read(found, latest, [p for p in found.worked if prints[p] == prints[latest]])
    if len(versions) > 1:
        found.ambiguous = True
        names = [p.name for p in found.worked]
        listed = ", ".join(f"'{n}'" for n in names[:-1]) + f" {text['and']} '{names[-1]}'"
        found.problems.append(text["ambiguous"].format(names=listed))


def _read(found: Found, origin: Path, same: list[Path]) -> None:
    found.origin = origin
    found.reviewed = found.converted.get(origin, origin)
    found.same = same
    found.seen = {p: replace.signature(p) for p in same}


def _latest(paths: list[Path]) -> Path:
    """The file modified last (of equal times, the first by name)."""
    return max(sorted(paths, key=lambda p: p.name), key=lambda p: p.stat().st_mtime_ns)


def set_aside(found: Found, now: dt.datetime | None = None) -> list[Path]:
    """After the reviewer's file was merged into the canonical one: move the copies that were read
    (``found.same``, under another name or format) into ``history/``, as
    ``history/<their name>.<time>.<their suffix>``, so that they are not read again. Returns where
    they went (nothing when the reviewer's file was the canonical one). Call it only once the
    canonical file was written with their work, not after a conflict: they are still the
    reviewer's to resolve."""
    if found.ambiguous:
        raise ValueError(f"{found.path}: several versions hold reviewer work; nothing is set aside")
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    moved = []
    for copy in found.same:
        if copy == found.path or not copy.is_file() or copy.is_symlink():
            continue
        target = copy.parent / HISTORY / f"{copy.stem}.{stamp}{copy.suffix}"
        target.parent.mkdir(exist_ok=True)
        # Moved, not copied and deleted: the rename takes the exact file that is there, and a save
        # landing after it makes a new file under the copy's name, which stays to be read next time.
        os.rename(copy, target)
        if replace.signature(target) != found.seen.get(copy):
            # Saved again since it was read: its newer work is not in the canonical file yet.
            if not copy.exists():
                os.rename(target, copy)
            continue
        moved.append(target)
    return moved
