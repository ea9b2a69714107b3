"""Lists that grow with the cluster (its firms): how much of one a sentence names, and where its
table goes.

A list of up to ``LONG`` items is short: a sentence names every item and its table stays in its
section. A longer one is named by its first ``NAMED`` items and how many others there are, and its
table moves to an annex at the end of the document: a cluster of 2,000 firms may have hundreds of
growth seeds or success cases, which no sentence can carry and which would split a section over
dozens of pages. Twelve is about what a sentence of names can hold and a table of under half a page;
it keeps the pilots' lists (10 to 12 firms) where they were.
"""

from __future__ import annotations

from collections.abc import Sequence

from .channels import enumerate_
from .i18n import Labels

LONG = 12
NAMED = 5


def is_long(items: Sequence) -> bool:
    return len(items) > LONG


def named(items: Sequence[str], labels: Labels) -> str:
    """Every item of a short list; the first few of a long one and how many others."""
    return enumerate_(list(items), labels, shown=NAMED if is_long(items) else None)
