"""The strongest and the weakest with ties (domain.extremes), and a pilot cluster only by a real lead
(domain.scoring): the rules the profile, the strategy and the roll-ups word."""

from __future__ import annotations

import pytest

from cluster_reports.domain import scoring
from cluster_reports.domain.extremes import extremes


def test_a_single_strongest_and_weakest():
    found = extremes(["demand", "factor", "social"], {"demand": 4, "factor": 2, "social": 3}.get)
    assert found.strongest == ("demand",) and found.weakest == ("factor",)
    assert (found.high, found.low) == (4, 2) and not found.all_equal


def test_ties_are_named_together_in_the_order_given():
    scores = {"demand": 4, "factor": 2, "firm": 4, "related": 2, "social": 3}
    found = extremes(scores, scores.__getitem__)
    assert found.strongest == ("demand", "firm")
    assert found.weakest == ("factor", "related")


def test_all_equal_has_no_strongest_to_name():
    scores = dict.fromkeys(("demand", "factor", "firm", "related", "social"), 3)
    found = extremes(scores, scores.__getitem__)
    assert found.all_equal
    assert found.strongest == found.weakest == tuple(scores)


def test_no_items_is_an_error():
    with pytest.raises(ValueError, match="no items"):
        extremes([], lambda x: x)


def _rank(*scores: tuple[str, int, int]) -> dict[str, scoring.ScoredCluster]:
    return scoring.rank(scoring.Entry(cid, "export", g, a) for cid, g, a in scores)


def test_a_real_lead_makes_the_pilot():
    ranked = _rank(("a", 30, 10), ("b", 20, 10))
    assert ranked["a"].selected and not ranked["b"].selected
    assert not ranked["a"].tied


def test_a_tie_at_the_top_chooses_no_pilot():
    ranked = _rank(("a", 30, 10), ("b", 30, 10), ("c", 10, 0))
    assert ranked["a"].rank == ranked["b"].rank == 1 and ranked["c"].rank == 3
    assert not any(r.selected for r in ranked.values())
    assert ranked["a"].tied and ranked["b"].tied and not ranked["c"].tied


def test_a_score_of_zero_leads_nothing():
    alone = _rank(("a", 0, 0))
    assert alone["a"].rank == 1 and not alone["a"].selected
    assert not any(r.selected for r in _rank(("a", 0, 0), ("b", 0, 0)).values())


def test_the_only_cluster_scored_above_zero_is_the_pilot():
    assert _rank(("a", 1, 0))["a"].selected
