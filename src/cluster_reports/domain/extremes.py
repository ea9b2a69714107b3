"""The strongest and the weakest of a set of scores, ties included.

Every document that names a strongest or a weakest condition asks this one function, so the profile
and the strategy break ties the same way: they do not break them. Items with equal scores are named
together, in the order given; when every score is equal, nothing is strongest or weakest and the
documents say that the scores are equal instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Extremes(Generic[T]):
    strongest: tuple[T, ...]  # every item with the highest score, in the order given
    weakest: tuple[T, ...]  # every item with the lowest score, in the order given
    high: float
    low: float

    @property
    def all_equal(self) -> bool:
        """Every item has the same score: none is the strongest or the weakest."""
        return self.high == self.low


def extremes(items: Iterable[T], score: Callable[[T], float]) -> Extremes[T]:
    """The items with the highest and with the lowest score; equal scores are a tie, never broken."""
    items = list(items)
    if not items:
        raise ValueError("the strongest and the weakest of no items are undefined")
    scores = [score(i) for i in items]
    high, low = max(scores), min(scores)
    return Extremes(
        strongest=tuple(i for i, s in zip(items, scores, strict=True) if s == high),
        weakest=tuple(i for i, s in zip(items, scores, strict=True) if s == low),
        high=high,
        low=low,
    )
