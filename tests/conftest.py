"""Shared fixtures: the shipped sample and the template library."""

from __future__ import annotations

from pathlib import Path

import pytest

from cluster_reports import resources
from cluster_reports.inputs import params_io

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "params" / "clusters"


@pytest.fixture(scope="session")
def sample() -> list[params_io.LoadedParams]:
    loaded, problems = params_io.load_many([SAMPLE])
    assert not problems, "\n".join(map(str, problems))
    return loaded


@pytest.fixture(scope="session")
def sample_by_id(sample) -> dict[str, params_io.LoadedParams]:
    return {item.params.id: item for item in sample}


@pytest.fixture(scope="session")
def templates() -> Path:
    return resources.templates()
