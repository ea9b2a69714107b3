"""Edit documents in a running LibreOffice through UNO, as a reviewer does with keyboard and mouse.

Run with the system's Python (``/usr/bin/python3``: python3-uno is installed for it, not for the
project's virtual environment). Reads one JSON object on stdin:

    {"port": 2002, "jobs": [{"open": "/path/profile.en.docx",
                             "ops": [{"op": "bold", "find": "Kebumen Sokka"}, ...],
                             "save": [{"path": "/path/profile.en.docx", "filter": "MS Word 2007 XML"}]}]}

and writes one JSON object on stdout: ``{"jobs": [{"ok": true, "ops": [...notes...]}, ...]}``;
a job whose snippet is not found, or whose operation fails, says so (``ok`` false, ``error``), and
the document is closed without saving. Every operation finds its target by a text snippet (the
first occurrence, in the body or a table cell) or by a table's position.

Operations (``find`` is the snippet; ``text`` what is typed):
  replace        the snippet becomes ``with`` (``heading``: true looks in headings only)
  rewrite        the whole paragraph holding the snippet becomes ``text``
  type_after     Enter at the end of the paragraph, then ``text`` (a new paragraph)
  insert_before  ``text`` and Enter at the start of the paragraph (a new paragraph before it)
  delete         the paragraph, with its paragraph mark
  split          Enter just before the snippet
  merge          the paragraph mark at its end deleted (joined with the next paragraph)
  move           cut the paragraph and paste it after the paragraph holding ``to``
  bold / italic / underline / highlight / colour   on the snippet
  link           the snippet becomes a link to ``url``
  track          change tracking on (``on``: true) or off
  comment        a comment ``text`` on the snippet
  cell           a table cell's text becomes ``text``: by ``table`` (index), ``row``, ``col``,
                 or by ``find`` (a snippet of the cell)
  accept_all     accept all tracked changes
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

BOLD = 150.0  # com.sun.star.awt.FontWeight.BOLD
SINGLE = 1  # com.sun.star.awt.FontUnderline.SINGLE
FILTERS = {".docx": "MS Word 2007 XML", ".odt": "writer8", ".doc": "MS Word 97"}


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(port: int, timeout: float = 60):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except Exception:  # noqa: BLE001 - NoConnectException while LibreOffice starts
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return ctx, desktop


class NotFound(LookupError):
    pass


def _paragraphs(text):
    """The paragraphs of a text, and those of its tables' cells, in order."""
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.TextTable"):
            for name in item.getCellNames():
                yield from _paragraphs(item.getCellByName(name))
        else:
            yield item


def find(doc, snippet: str, heading: bool = False):
    """A cursor selecting the first occurrence of ``snippet`` in a paragraph (of the body or a table
    cell). Walks the paragraphs rather than using LibreOffice's search, which needs a layout that a
    document loaded without a window does not have."""
    for para in _paragraphs(doc.getText()):
        if heading and not para.getPropertyValue("OutlineLevel"):
            continue  # the contents list repeats the headings' text: skip it
        at = para.getString().find(snippet)
        if at < 0:
            continue
        # A comment's anchor or a field counts in the string but not for the cursor (or the other
        # way round): try the nearest positions until the selection reads as the snippet.
        for shift in (0, -1, 1, -2, 2, -3, 3, -4, 4):
            if at + shift < 0:
                continue
            cursor = para.getText().createTextCursorByRange(para.getStart())
            cursor.goRight(at + shift, False)
            cursor.goRight(len(snippet), True)
            if cursor.getString() == snippet:
                return cursor
        raise NotFound(f"text {snippet!r} found but could not be selected")
    raise NotFound(f"text not found: {snippet!r}")


def paragraph(doc, snippet: str, with_mark: bool = False):
    """A cursor selecting the whole paragraph holding ``snippet`` (and its paragraph mark)."""
    found = find(doc, snippet)
    cursor = found.getText().createTextCursorByRange(found.getStart())
    cursor.gotoStartOfParagraph(False)
    cursor.gotoEndOfParagraph(True)
    if with_mark:
        cursor.goRight(1, True)
    return cursor


def _end_of(doc, snippet: str):
    cursor = paragraph(doc, snippet)
    cursor.collapseToEnd()
    return cursor


def dispatch(ctx, doc, command: str, args=()):
    helper = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    frame = doc.getCurrentController().getFrame()
    helper.executeDispatch(frame, command, "", 0, tuple(args))


def run_op(ctx, doc, op: dict) -> str:
    kind = op["op"]
    if kind == "replace":
        find(doc, op["find"], bool(op.get("heading"))).setString(op["with"])
    elif kind == "rewrite":
        cursor = paragraph(doc, op["find"])
        cursor.setString(op["text"])
    elif kind == "type_after":
        cursor = _end_of(doc, op["find"])
        text = cursor.getText()
        text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
        text.insertString(cursor, op["text"], False)
    elif kind == "insert_before":
        cursor = paragraph(doc, op["find"])
        cursor.collapseToStart()
        text = cursor.getText()
        text.insertString(cursor, op["text"], False)
        text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    elif kind == "delete":
        paragraph(doc, op["find"], with_mark=True).setString("")
    elif kind == "split":
        found = find(doc, op["find"])
        cursor = found.getText().createTextCursorByRange(found.getStart())
        cursor.getText().insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    elif kind == "merge":
        cursor = _end_of(doc, op["find"])
        cursor.goRight(1, True)
        cursor.setString("")
    elif kind == "move":
        # Cut and paste as the reviewer's mouse does it: select, take the selection (with its
        # formatting and bookmarks), delete it, paste after the target paragraph.
        controller = doc.getCurrentController()
        source = paragraph(doc, op["find"], with_mark=True)
        controller.select(source)
        moved = controller.getTransferable()
        source.setString("")
        target = _end_of(doc, op["to"])
        target.getText().insertControlCharacter(target, PARAGRAPH_BREAK, False)
        controller.select(target)
        controller.insertTransferable(moved)
        # The paste brought the paragraph's own mark: drop the empty paragraph it leaves behind.
        view = controller.getViewCursor()
        cursor = view.getText().createTextCursorByRange(view.getStart())
        cursor.gotoEndOfParagraph(False)
        probe = cursor.getText().createTextCursorByRange(cursor)
        probe.goRight(1, True)
        probe.gotoEndOfParagraph(True)
        if probe.getString() in ("", "\n"):
            cursor.goRight(1, True)
            cursor.setString("")
    elif kind == "bold":
        find(doc, op["find"]).CharWeight = BOLD
    elif kind == "italic":
        find(doc, op["find"]).CharPosture = uno.Enum("com.sun.star.awt.FontSlant", "ITALIC")
    elif kind == "underline":
        find(doc, op["find"]).CharUnderline = SINGLE
    elif kind == "highlight":
        find(doc, op["find"]).CharHighlight = 0xFFFF00
    elif kind == "colour":
        find(doc, op["find"]).CharColor = int(op.get("rgb", "C00000"), 16)
    elif kind == "link":
        find(doc, op["find"]).HyperLinkURL = op["url"]
    elif kind == "track":
        doc.RecordChanges = bool(op.get("on", True))
    elif kind == "comment":
        found = find(doc, op["find"])
        note = doc.createInstance("com.sun.star.text.textfield.Annotation")
        note.Author = op.get("author", "Reviewer")
        note.Content = op["text"]
        found.getText().insertTextContent(found, note, True)
    elif kind == "cell":
        if "find" in op:
            cell = find(doc, op["find"]).getText()
        else:
            table = doc.getTextTables().getByIndex(int(op["table"]))
            cell = table.getCellByPosition(int(op["col"]), int(op["row"]))
        cell.setString(op["text"])
    elif kind == "accept_all":
        dispatch(ctx, doc, ".uno:AcceptAllTrackedChanges")
    else:
        raise ValueError(f"unknown operation {kind!r}")
    return kind


# LibreOffice 7.4 headless crashes drawing a comment's margin window (a new comment, or one in the
# file); a document loaded without a window takes comments fine, but has no view for cut and paste
# or the dispatcher: only those operations get a (hidden) window.
_NEEDS_VIEW = {"move", "accept_all"}


def _load(ctx, desktop, path: str, viewless: bool):
    url = uno.systemPathToFileUrl(path)
    if viewless:
        doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
        doc.load((_prop("URL", url), _prop("FilterName", FILTERS[Path(path).suffix])))
        return doc
    return desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))


def _lock_file(path: str) -> Path:
    p = Path(path)
    return p.with_name(f".~lock.{p.name}#")


def run_job(ctx, desktop, job: dict) -> dict:
    kinds = {op["op"] for op in job.get("ops", [])}
    viewless = not kinds & _NEEDS_VIEW
    if "comment" in kinds and not viewless:
        return {"ok": False, "error": f"cannot combine comments with {sorted(kinds & _NEEDS_VIEW)}"}
    _lock_file(job["open"]).unlink(missing_ok=True)  # left by an earlier crash: ours
    doc = _load(ctx, desktop, job["open"], viewless)
    if doc is None:
        return {"ok": False, "error": f"LibreOffice could not open {job['open']}"}
    done = []
    try:
        for op in job.get("ops", []):
            done.append(run_op(ctx, doc, op))
        for save in job.get("save", []):
            args = (_prop("FilterName", save["filter"]), _prop("Overwrite", True))
            _lock_file(save["path"]).unlink(missing_ok=True)
            doc.storeToURL(uno.systemPathToFileUrl(save["path"]), args)
        return {"ok": True, "ops": done}
    except Exception as exc:  # noqa: BLE001 - reported to the caller, which fails the scenario
        return {"ok": False, "ops": done, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        doc.close(True)
        _lock_file(job["open"]).unlink(missing_ok=True)


def main() -> int:
    request = json.load(sys.stdin)
    ctx, desktop = connect(int(request["port"]), float(request.get("timeout", 60)))
    results = [run_job(ctx, desktop, job) for job in request.get("jobs", [])]
    json.dump({"jobs": results}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
