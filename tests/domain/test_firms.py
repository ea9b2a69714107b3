import pytest

from cluster_reports.domain import firms
from cluster_reports.inputs.schema import Firms, SizeCounts


@pytest.mark.parametrize(
    ("workers", "size"),
    [(1, "micro"), (4, "micro"), (5, "small"), (19, "small"), (20, "medium"), (99, "medium"),
     (100, "large"), (2500, "large")],
)
def test_size_class_bounds(workers, size):
    assert firms.size_class(workers) == size


def test_size_class_needs_a_worker():
    with pytest.raises(ValueError):
        firms.size_class(0)


def test_structure_from_a_whole_firm_table(sample_by_id):
    base = sample_by_id["kebumen-roof-tile"].params
    table = base.firms.table
    params = base.model_copy(update={
        "firms": Firms(table=table), "workers": None, "annual_sales": None,
    })
    s = firms.structure(params)
    assert s.surveyed is None and s.workers_by_class
    assert s.total_firms == len(table)
    assert sum(r.firms for r in s.rows) == len(table)
    assert s.total_workers == sum(f.workers for f in table)
    assert s.total_sales == sum(f.annual_sales for f in table)
    assert abs(sum(r.share_pct for r in s.rows) - 100) < 0.3
    assert s.potentially_viable_count == sum(1 for f in table if f.willing_to_improve)


def test_structure_from_counts_and_a_surveyed_sample(sample_by_id):
    params = sample_by_id["kebumen-roof-tile"].params
    table = params.firms.table
    counts = params.firms.by_size
    s = firms.structure(params)
    assert s.surveyed == len(table) and not s.workers_by_class
    assert [r.firms for r in s.rows] == [counts.micro, counts.small, counts.medium, counts.large]
    assert s.total_workers == params.workers and s.total_sales == params.annual_sales
    willing = [f.name for f in table if f.willing_to_improve]
    assert [f.name for f in s.potentially_viable] == willing
    assert all(f.annual_sales > firms.SALES_REFERENCE for f in s.above_reference)
    assert len(s.above_reference) == sum(1 for f in table if f.annual_sales > 700_000_000)


def test_a_sample_cannot_outnumber_the_sentra(sample_by_id):
    import pytest
    from pydantic import ValidationError

    table = sample_by_id["kebumen-roof-tile"].params.firms.table
    with pytest.raises(ValidationError, match="the table lists .* but by_size counts only 1"):
        Firms(by_size=SizeCounts(micro=1, small=1, medium=1), table=table)


def test_structure_from_counts(sample_by_id):
    params = sample_by_id["tegal-metalwork"].params
    counts = params.firms.by_size
    s = firms.structure(params)
    assert [r.firms for r in s.rows] == [counts.micro, counts.small, counts.medium, counts.large]
    assert s.total_firms == counts.micro + counts.small + counts.medium + counts.large
    assert s.potentially_viable is None
    assert s.total_workers == params.workers
