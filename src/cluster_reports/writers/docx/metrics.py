"""Advance widths of Arial (Liberation Sans is metric-compatible), in thousandths of an em, so
that table columns and the running head are sized from the text as it will be set, not from a
character count (in bold, "Kebumen" is nearly twice as wide as "illicit").

Printable ASCII and a few characters the documents use; any other character counts as an "n".
"""

from __future__ import annotations

from functools import lru_cache

_REGULAR_ASCII = (  # U+0020 to U+007E
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)
_REGULAR_EXTRA = {
    "–": 556, "—": 1000, "‘": 222, "’": 222, "“": 333, "”": 333, "…": 1000, "●": 604, "○": 604,
    "·": 333, "•": 350, "×": 584, "é": 556, "è": 556, "à": 556, "á": 556, "í": 278, "ó": 556,
    "ú": 556, "É": 667,
}

_BOLD_ASCII = (  # U+0020 to U+007E
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)
_BOLD_EXTRA = {
    "–": 556, "—": 1000, "‘": 278, "’": 278, "“": 500, "”": 500, "…": 1000, "●": 604, "○": 604,
    "·": 333, "•": 350, "×": 584, "é": 556, "è": 556, "à": 556, "á": 556, "í": 278, "ó": 611,
    "ú": 611, "É": 667,
}


class _Widths(dict):
    """Advance widths by character; a character not listed counts as an "n"."""

    def __missing__(self, char: str) -> int:
        return self["n"]


def _table(ascii_widths: tuple[int, ...], extra: dict[str, int]) -> _Widths:
    return _Widths({**{chr(32 + i): w for i, w in enumerate(ascii_widths)}, **extra})


_WIDTHS = {False: _table(_REGULAR_ASCII, _REGULAR_EXTRA), True: _table(_BOLD_ASCII, _BOLD_EXTRA)}


@lru_cache(maxsize=1 << 16)  # tables measure the same words at several sizes
def _units(text: str, bold: bool) -> int:
    return sum(map(_WIDTHS[bold].__getitem__, text))


def text_twips(text: str, size_pt: float, bold: bool = False) -> int:
    """The width of ``text`` on one line at ``size_pt`` points, in twips (1/20 pt)."""
    return round(_units(text, bold) * size_pt * 20 / 1000)
