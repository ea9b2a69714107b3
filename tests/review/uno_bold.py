"""Edit .docx files in a running LibreOffice as a reviewer does, through UNO (for tests).

Run with the system Python, which has LibreOffice's ``uno`` module (python3-uno):

    /usr/bin/python3 uno_bold.py PORT JOBS.json

LibreOffice must be listening on ``socket,host=127.0.0.1,port=PORT;urp;``. ``JOBS.json`` is a
list of ``{"in": path, "out": path, "find": word or null, "make": "bold" | "italic" | null}``:
each file is opened, the first whole-word match of ``find`` (case-sensitive) is made bold or
italic (nothing is changed when ``find`` is null: a plain re-save), and it is saved as Word
2007-365 (.docx) to ``out``. Prints, as JSON, one result per job: ``{"found": bool}``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import uno
from com.sun.star.awt.FontSlant import ITALIC
from com.sun.star.awt.FontWeight import BOLD
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _property(name: str, value) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _desktop(port: int, wait: float = 90.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + wait
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def main(port: int, jobs: list[dict]) -> list[dict]:
    desktop = _desktop(port)
    results = []
    for job in jobs:
        url = Path(job["in"]).resolve().as_uri()
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (_property("Hidden", True),))
        found = False
        try:
            if job.get("find"):
                search = doc.createSearchDescriptor()
                search.SearchString = job["find"]
                search.SearchCaseSensitive = True
                search.SearchWords = True
                match = doc.findFirst(search)
                found = match is not None
                if found and job.get("make") == "bold":
                    match.CharWeight = BOLD
                elif found and job.get("make") == "italic":
                    match.CharPosture = ITALIC
            out = Path(job["out"]).resolve()
            out.parent.mkdir(parents=True, exist_ok=True)
            doc.storeToURL(out.as_uri(), (_property("FilterName", "MS Word 2007 XML"),))
        finally:
            doc.close(True)
        results.append({"found": found})
    return results


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))))
