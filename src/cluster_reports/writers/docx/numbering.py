"""The numbering of lists: bullets share one, each numbered list restarts at 1, and a list in a box
(a note) gets a copy of its list style's numbering indented from the box's left edge, so the box
stays one box."""

from __future__ import annotations

import copy
import hashlib

import docx
from docx.oxml.ns import qn

from .styles import Styles


class Numbering:
    """The list numberings of one document, and the copies made for lists in boxes."""

    def __init__(self, word: docx.document.Document, styles: Styles):
        self.word = word
        self.styles = styles
        self.boxed_abstract: dict[tuple[int, str], int] = {}  # (abstract id, box style) -> copy
        self.boxed_bullets: dict[int, int] = {}  # abstract id of a copy -> its bullets' numId

    def new_list(self, ordered: bool, boxed: str | None = None) -> int | None:
        """The numbering (numId) of a new list; ``boxed``: the paragraph style of its box."""
        list_style = "List Number" if ordered else "List Bullet"
        num_id = self.styles.num_id(list_style)
        if num_id is None or not (ordered or boxed):
            return num_id
        numbering = self.word.part.numbering_part.element
        try:
            abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
        except KeyError:
            return num_id
        if boxed:
            key = (abstract_id, boxed)
            if key not in self.boxed_abstract:
                self.boxed_abstract[key] = self._boxed_copy(numbering, abstract_id, boxed)
            abstract_id = self.boxed_abstract[key]
            if not ordered and abstract_id in self.boxed_bullets:
                return self.boxed_bullets[abstract_id]
        num = numbering.add_num(abstract_id)
        if ordered:
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
        else:
            self.boxed_bullets[abstract_id] = int(num.numId)
        return int(num.numId)

    def _boxed_copy(self, numbering, abstract_id: int, style: str) -> int:
        """A copy of an abstract numbering, its levels shifted by the style's left indent."""
        abstracts = list(numbering.iterchildren(qn("w:abstractNum")))
        source = next(a for a in abstracts
                      if a.get(qn("w:abstractNumId")) == str(abstract_id))
        copy_ = copy.deepcopy(source)
        new_id = max(int(a.get(qn("w:abstractNumId"))) for a in abstracts) + 1
        copy_.set(qn("w:abstractNumId"), str(new_id))
        nsid = copy_.find(qn("w:nsid"))
        if nsid is not None:  # Word tells lists apart by nsid
            nsid.set(qn("w:val"), hashlib.sha1(f"{style}/{new_id}".encode()).hexdigest()[:8].upper())
        shift = self.styles.indent(style)
        for level in copy_.iterchildren(qn("w:lvl")):
            for link in level.findall(qn("w:pStyle")):
                level.remove(link)
            for tab in level.iter(qn("w:tab")):
                tab.set(qn("w:pos"), str(int(tab.get(qn("w:pos"), "0")) + shift))
            for ind in level.iter(qn("w:ind")):
                for attr in ("w:left", "w:start"):
                    if ind.get(qn(attr)) is not None:
                        ind.set(qn(attr), str(int(ind.get(qn(attr))) + shift))
        abstracts[-1].addnext(copy_)
        return new_id
