import pytest

from cluster_reports import firms


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


def test_structure_from_firm_table(sample_by_id):
    params = sample_by_id["kebumen-roof-tile"].params
    table = params.firms.table
    s = firms.structure(params)
    assert s.total_firms == len(table)
    assert sum(r.firms for r in s.rows) == len(table)
    assert s.total_workers == sum(f.workers for f in table)
    assert s.total_sales == sum(f.annual_sales for f in table)
    assert abs(sum(r.share_pct for r in s.rows) - 100) < 0.3
    willing = [f.name for f in table if f.willing_to_improve]
    assert [f.name for f in s.potentially_viable] == willing
    assert all(f.annual_sales > firms.SALES_REFERENCE for f in s.above_reference)
    assert len(s.above_reference) == sum(1 for f in table if f.annual_sales > 700_000_000)


def test_structure_from_counts(sample_by_id):
    params = sample_by_id["tegal-metalwork"].params
    counts = params.firms.by_size
    s = firms.structure(params)
    assert [r.firms for r in s.rows] == [counts.micro, counts.small, counts.medium, counts.large]
    assert s.total_firms == counts.micro + counts.small + counts.medium + counts.large
    assert s.potentially_viable is None
    assert s.total_workers == params.workers
