"""Market channels taken together: rows of one channel count as one channel.

A params file may list a channel twice (two destinations of intermediaries, say), and firms observed
in a period each name their own. A document speaks of channels, not of rows: their figures are summed
first, so that a table has one row, a chart one bar, and "the main channel" the summed share of each.
An ``other`` channel is one channel per name: two rows whose names agree (in either language, whatever
the case or spacing) are the same channel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from cluster_reports.inputs.schema.cluster import Channel
from cluster_reports.inputs.schema.common import Text

from .extremes import extremes
from .shares import half_up

T = TypeVar("T")

# Shares are shown to a tenth of a per cent at most: two channels equal at that precision are a tie,
# and a report that named one of them the main channel would be choosing without a reason.
TIE_PLACES = 1


@dataclass(frozen=True)
class Group(Generic[T]):
    channel: Channel
    name: Text | None  # the name of an 'other' channel, from its first row
    items: tuple[T, ...]


def _same_name(a: Text, b: Text) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    # A name given in one language only is compared in the language both have.
    return any(x is not None and y is not None and norm(x) == norm(y)
               for x, y in ((a.en, b.en), (a.id, b.id)))


def group(items: Iterable[T], channel: Callable[[T], Channel],
          name: Callable[[T], Text | None]) -> list[Group[T]]:
    """The items by channel, in the schema's channel order ('other' channels in the order first given)."""
    found: list[tuple[Channel, Text | None, list[T]]] = []
    for item in items:
        ch, nm = channel(item), name(item)
        for g_channel, g_name, members in found:
            if g_channel is ch and (ch is not Channel.other or (
                    g_name is not None and nm is not None and _same_name(g_name, nm))):
                members.append(item)
                break
        else:
            found.append((ch, nm, [item]))
    order = list(Channel)
    found.sort(key=lambda g: order.index(g[0]))  # stable: 'other' channels keep their order
    return [Group(ch, nm, tuple(members)) for ch, nm, members in found]


def leaders(rows: list[T], share: Callable[[T], float]) -> list[T]:
    """The rows with the largest share: one main channel, or several that are equal (a tie)."""
    if not rows:
        return []
    return list(extremes(rows, lambda r: half_up(share(r), TIE_PLACES)).strongest)
