"""Market channels in a document's words: their names, and the profile's market rows summed by channel.

Figures of one channel are summed in ``domain.channels`` before anything is chosen or drawn; this
module names the result. A catalogue channel takes its label (``channel.<value>``); an ``other``
channel the name its row gives, which is the user's text and keeps its case inside a sentence.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cluster_reports.domain import channels, shares
from cluster_reports.inputs.schema import ClusterParams
from cluster_reports.inputs.schema.cluster import Channel, Market
from cluster_reports.inputs.schema.common import Text

from .i18n import Formatter, Labels, series


def label(channel: str, name: Text | None, labels: Labels) -> str:
    """The channel's name as a table row or a chart bar shows it."""
    if channel == Channel.other.value and name is not None:
        return name.get(labels.lang)
    return labels(f"channel.{channel}")


def phrase(channel: str, name: Text | None, labels: Labels) -> str:
    """The channel's name inside a sentence: a catalogue channel its in-sentence wording
    (``channel_phrase.<value>``, with the article English needs); a user's name stays as given."""
    if channel == Channel.other.value and name is not None:
        return name.get(labels.lang)
    return labels(f"channel_phrase.{channel}")


def enumerate_(items: list[str], labels: Labels, shown: int | None = None) -> str:
    """'A', 'A and B', 'A, B and C' (Indonesian: 'A, B, dan C', as PUEBI writes a series).

    With ``shown``, a longer list names its first ``shown`` items and counts the rest:
    'A, B, C and 12 others' ('A, B, C, dan 12 lainnya')."""
    conjunction = labels("list.and")
    if shown is not None and len(items) > shown:
        rest = len(items) - shown
        key = "long_list.others_one" if rest == 1 else "long_list.others"
        others = labels(key).format(n=Formatter(labels.lang).number(rest))
        items = [*items[:shown], others]
    return series(items, conjunction, labels.lang)


@dataclass(frozen=True)
class MarketRow:
    """One channel of the profile: the params rows of that channel taken together."""

    channel: Channel
    name: Text | None
    label: str
    phrase: str
    destination: Text  # the rows' destinations, each once, joined
    destinations: int
    share_pct: float  # as the params give it: what ranks the channels and finds ties
    share_shown: float = 0.0  # what a table and a sentence print: whole percent adding up to 100


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _joined(texts: list[Text]) -> Text:
    def joined(lang: str) -> str | None:
        # None where no text has the language (the joined text is then marked untranslated); where
        # some have it, the others' words stand in the other language, unmarked, rather than go missing.
        if all(getattr(t, lang) is None for t in texts):
            return None
        return "; ".join(_unique([str(t.get(lang)) for t in texts]))

    return Text(en=joined("en"), id=joined("id"))


def market_rows(params: ClusterParams, labels: Labels) -> list[MarketRow]:
    """The cluster's channels by summed share of sales, largest first (equal shares in schema order)."""
    groups = channels.group(params.markets, lambda m: m.channel, lambda m: m.name)
    rows = []
    for g in groups:
        items: tuple[Market, ...] = g.items
        destination = _joined([m.destination for m in items])
        rows.append(MarketRow(
            channel=g.channel,
            name=g.name,
            label=label(g.channel.value, g.name, labels),
            phrase=phrase(g.channel.value, g.name, labels),
            destination=destination,
            destinations=len(_unique([m.destination.any for m in items])),  # counted, not re-split
            share_pct=sum(m.share_pct for m in items),
        ))
    rows.sort(key=lambda r: -r.share_pct)
    # Given shares may carry decimals (12.5 and 37.5): whole percents by largest remainder add up to 100.
    shown = shares.shares([r.share_pct for r in rows], places=0)
    return [dataclasses.replace(r, share_shown=s) for r, s in zip(rows, shown, strict=True)]


@dataclass(frozen=True)
class MainChannel:
    """A period's main channel, or the channels tied for it (monitoring)."""

    period: str
    label: Text  # the period's
    share_pct: float  # of each channel named
    phrase: str  # the channel, or the tied channels joined ('X and Y')
    tied: bool
