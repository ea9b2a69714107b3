from decimal import Decimal

import pytest
import sample_facts

from cluster_reports.domain import scoring

# Table 3.1 of the 2004 study: growth, action, percentage, rank in group, pilot.
TABLE_3_1 = {
    "tegal-metalwork": (31, 10, "45.6", 3, False),
    "sukabumi-metalwork": (33, 18, "56.7", 2, False),
    "waru-sidoarjo-metalwork": (38, 21, "65.6", 1, True),
    "serenan-klaten-wood-furniture": (36, 20, "62.2", 1, True),
    "amuntai-rattan": (30, 5, "38.9", 4, False),
    "lima-puluh-kota-gambier": (29, 8, "41.1", 3, False),
    "garut-vetiver-oil": (33, 5, "42.2", 2, False),
    "tanjung-batu-agricultural-tools": (30, 7, "41.1", 3, False),
    "mampang-tempe-tofu": (27, 11, "42.2", 2, False),
    "kebumen-roof-tile": (36, 21, "63.3", 1, True),
}


def test_sample_reproduces_table_3_1(sample):
    """The study's round of the sample (its ten clusters, round jica-2004) ranks as Table 3.1 does."""
    study = [item.params for item in sample if item.params.selection_round == sample_facts.STUDY_ROUND]
    assert sorted(p.id for p in study) == sample_facts.in_round(sample_facts.STUDY_ROUND)
    ranked = scoring.rank_clusters(study)
    assert set(ranked) == set(TABLE_3_1)
    for cluster_id, (growth, action, pct, rank, pilot) in TABLE_3_1.items():
        row = ranked[cluster_id]
        assert (row.growth, row.action) == (growth, action), cluster_id
        assert row.percentage == Decimal(pct), cluster_id
        assert row.rank == rank, cluster_id
        assert row.selected is pilot, cluster_id


@pytest.mark.parametrize(
    ("growth", "action", "expected"),
    [(38, 21, "65.6"), (0, 0, "0.0"), (54, 36, "100.0"), (1, 0, "1.1"), (27, 11, "42.2")],
)
def test_percentage_rounds_half_up_to_one_decimal(growth, action, expected):
    assert scoring.selection_percentage(growth, action) == Decimal(expected)


@pytest.mark.parametrize(("growth", "action"), [(55, 0), (0, 37), (-1, 3)])
def test_percentage_rejects_scores_out_of_range(growth, action):
    with pytest.raises(ValueError, match="out of range"):
        scoring.selection_percentage(growth, action)


def test_equal_scores_share_a_rank(sample_by_id):
    base = sample_by_id["tegal-metalwork"].params
    twin = base.model_copy(update={"id": "tegal-twin"})
    ranked = scoring.rank_clusters([base, twin])
    assert ranked["tegal-metalwork"].rank == ranked["tegal-twin"].rank == 1
