"""Edits a reviewer made outside the blocks, which a regenerated document does not carry: found
by the marks of the generated elements (a paragraph changed or removed, a computed table's cell
changed, something put where no block holds it), or, in an older file without a layout record, by
aligning the texts."""

from __future__ import annotations

import difflib

from cluster_reports.review.outcome import Edit
from cluster_reports.writers.docx.blocks import paragraph_text, paragraphs
from cluster_reports.writers.docx.reading import Reading
from cluster_reports.writers.docx.recording import table_cells


def outside_edits(reviewer: list[tuple[str, str]], generated: list[str]) -> list[Edit]:
    """Older files (no layout record): paragraphs added, changed or removed outside the blocks,
    found by aligning the texts, each with the heading it is under."""
    texts = [t for _h, t in reviewer]
    edits = []
    matcher = difflib.SequenceMatcher(a=generated, b=texts, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        where = reviewer[b1][0] if b1 < len(reviewer) else (reviewer[-1][0] if reviewer else "")
        for old_text in generated[a1:a2]:
            if old_text.strip():
                edits.append(Edit("removed", where, old_text) if op == "delete"
                             else Edit("changed", where, "", was=old_text))
        for new_text in texts[b1:b2]:
            if new_text.strip():
                edits.append(Edit("added", where, new_text))
    return edits


def recorded_edits(reading: Reading, layout: dict, joined: set[int]) -> list[Edit]:
    """Edits of the generated elements outside the blocks (by their marks: a paragraph changed or
    removed, a computed table's cell changed), and what the reviewer put where no block holds it."""
    edits = []
    present = {o.number: o for o in reading.outside if o.number is not None}
    heading = ""
    for number, generated in enumerate(layout["outside"]):
        element = present.get(number)
        if element is not None:
            heading = element.heading
        table = layout["tables"].get(str(number))
        if element is None:
            if number not in joined and (generated.strip() or table):
                what = table["caption"] if table else generated
                edits.append(Edit("removed", heading, what))
        elif table is not None:
            edits += _cell_edits(element, table, heading)
        else:
            text = "\n".join(paragraph_text(p) for p in paragraphs(element.element))
            if text != generated:
                edits.append(Edit("changed", heading, text, was=generated))
    for element in reading.outside:
        if element.number is None:
            text = "\n".join(paragraph_text(p) for p in paragraphs(element.element))
            if text.strip():
                edits.append(Edit("moved" if element.moved_from else "added", element.heading, text,
                                  block=element.moved_from))
    return edits


def _cell_edits(element, table: dict, heading: str) -> list[Edit]:
    cells = table_cells(element.element)
    generated = table["cells"]
    caption = table["caption"]
    if len(cells) != len(generated) or any(len(a) != len(b) for a, b in zip(cells, generated, strict=False)):
        return [Edit("cell", heading, "", where=caption)]  # rows or columns added or removed
    edits = []
    header = generated[0] if generated else []
    for r, (row, old_row) in enumerate(zip(cells, generated, strict=True)):
        for c, (text, old) in enumerate(zip(row, old_row, strict=True)):
            if text != old and f"{r}.{c}" not in table["blocks"]:
                # caption|row|column|the column's heading (the first row), as the report names it
                name = header[c].replace("|", "/").replace("\n", " ") if r and c < len(header) else ""
                edits.append(Edit("cell", heading, text, was=old,
                                  where=f"{caption.replace('|', '/')}|{r + 1}|{c + 1}|{name}"))
    return edits


