"""One rounding rule (half away from zero) and shares of a whole that add up (largest remainder)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from cluster_reports.domain import shares
from cluster_reports.domain.firms import SizeRow, structure


@pytest.mark.parametrize(("value", "places", "expected"), [
    (62.5, 0, 63), (63.5, 0, 64), (-2.5, 0, -3), (0.25, 1, 0.3), (0.35, 1, 0.4),
    (2.675, 2, 2.68),  # the figure as written, not the binary 2.67499...
    (84.848, 1, 84.8), (96.19, 1, 96.2), (Decimal("1.05"), 1, 1.1), (Fraction(1, 8), 2, 0.13),
])
def test_half_away_from_zero(value, places, expected):
    assert shares.half_up(value, places) == expected


def test_no_negative_zero():
    assert str(shares.half_up_decimal(-0.04, 1)) == "0.0"


def test_a_share_of_a_whole():
    assert shares.share(28, 33) == 84.8  # not 84.9, the sum of the rounded 18.2 and 66.7
    assert shares.share(1, 8) == 12.5 and shares.share(1, 16) == 6.3  # 6.25 -> 6.3
    assert shares.share(5, 0) == 0.0


def test_shares_add_up_to_100_where_rounding_each_would_not():
    # 6, 22, 5 of 33: rounding each gives 18.2 + 66.7 + 15.2 = 100.1
    assert shares.shares([6, 22, 5, 0]) == [18.2, 66.7, 15.1, 0.0]
    # the study's regions and the clusters it does not place, of 9,800
    assert shares.shares([9_427, 373]) == [96.2, 3.8]
    assert sum(shares.shares([4_558, 1_810, 1_102, 1_101, 856, 373])) == pytest.approx(100.0)
    assert shares.adds_up(shares.shares([6, 22, 5, 0]))


def test_shares_of_zero_one_and_tied_values():
    assert shares.shares([]) == []
    assert shares.shares([0, 0, 0]) == [0.0, 0.0, 0.0]
    assert shares.shares([7]) == [100.0]
    assert shares.shares([0, 7]) == [0.0, 100.0]
    # equal values never get different shares: each is rounded on its own, and the column is
    # noted as not adding up
    assert shares.shares([1, 1, 1]) == [33.3, 33.3, 33.3]
    assert not shares.adds_up([33.3, 33.3, 33.3])
    assert shares.shares([1, 1]) == [50.0, 50.0] and shares.adds_up([50.0, 50.0])
    # 14 clusters, several provinces with 1: every one of them reads 7.1%, as 1 of 14 is
    assert shares.shares([4, 2, 1, 1, 1, 1, 1, 1, 1, 1]) == [28.6, 14.3, *[7.1] * 8]
    # equal remainders of unequal values are not treated differently either: 8 of 14 is 57.1%
    # (not 57.2% for the unit 1 of 14 does not get), 1/8 = 12.5 and 3/8 = 37.5 round half up
    assert shares.shares([8, 3, 1, 0, 2]) == [57.1, 21.4, 7.1, 0.0, 14.3]
    assert shares.shares([1, 3, 4], places=0) == [13.0, 38.0, 50.0]
    assert not shares.adds_up([13.0, 38.0, 50.0], places=0)
    # a single unit left where remainders differ still goes by largest remainder
    assert shares.shares([6, 22, 5]) == [18.2, 66.7, 15.1]
    assert shares.adds_up([0.0, 0.0])


def test_shares_refuse_negative_values():
    with pytest.raises(ValueError, match="negative"):
        shares.shares([5, -1])


def test_apportion_makes_a_column_add_up_to_its_rounded_total():
    # 562.5 + 2,562.5 + 734.375 = 3,859.375 -> 3,859; rounding each gives 563 + 2,563 + 734 = 3,860
    column = shares.apportion([562.5, 2562.5, 734.375])
    assert sum(column) == 3_859
    assert column == [562, 2563, 734]  # the tie at .5 goes to the larger line
    assert shares.apportion([]) == []
    assert shares.apportion([0, 0]) == [0, 0]
    assert shares.apportion([1_104_478.2]) == [1_104_478]
    assert shares.apportion([0.4, 0.4, 0.4]) == [1, 0, 0]  # 1.2 -> 1


def test_size_classes_share_out_the_firms(sample):
    for item in sample:
        rows: list[SizeRow] = structure(item.params).rows
        total = sum(r.firms for r in rows)
        if total:
            assert round(sum(r.share_pct for r in rows), 1) == 100.0, item.params.id
