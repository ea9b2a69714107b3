"""Word-level differences for the review report: what changed between two versions of a text, shown
as "… a few words ~~old words~~ **new words** a few words …" (Markdown) instead of two long quotes."""

from __future__ import annotations

import difflib
import re

CONTEXT = 4  # words of unchanged text shown on each side of a change
# Below this share of words in common a text was rewritten rather than edited: a difference would
# only scatter the few words the two happen to share.
REWRITTEN = 0.5
BREAK = "¶"  # a paragraph break, as a word of its own, so that a change of paragraphs shows
# Characters Markdown would read as markup in a reviewer's words.
_MARKUP = re.compile(r"([\\`*_~\[\]<>#|])")


def _words(paragraphs: list[str]) -> list[str]:
    words: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        if i:
            words.append(BREAK)
        words += paragraph.split()
    return words


def escape(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text)


def _join(words: list[str]) -> str:
    return escape(" ".join(words))


def rewritten(old: list[str], new: list[str]) -> bool:
    a, b = _words(old), _words(new)
    return bool(a and b) and difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio() < REWRITTEN


def hunks(old: list[str], new: list[str]) -> list[str]:
    """One line per changed stretch of words; none when the words are the same."""
    a, b = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    lines = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        parts = []
        first, last = group[0], group[-1]
        if first[1] > 0 or first[3] > 0:
            parts.append("…")
        for op, a1, a2, b1, b2 in group:
            if op == "equal":
                parts.append(_join(a[a1:a2]))
                continue
            if a2 > a1:
                parts.append(f"~~{_join(a[a1:a2])}~~")
            if b2 > b1:
                parts.append(f"**{_join(b[b1:b2])}**")
        if last[2] < len(a) or last[4] < len(b):
            parts.append("…")
        lines.append(" ".join(parts))
    return lines
