"""The criteria of the 2004 selection method (Table 3.1) and the points each can earn.

The study gives the two parts and their maxima: growth opportunity, judged on the four determinants
of Porter's Diamond (54 points), and action-taking capacity, judged on the cluster's performance at
the cluster workshops (36 points). It does not publish how the points divide among the criteria, so
the split below is illustrative (the guideline marks it so); it adds up to the study's maxima, which
the scores in params are validated against.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.inputs.schema import ACTION_CAPACITY_MAX, GROWTH_OPPORTUNITY_MAX

GROWTH = "growth"
ACTION = "action"


@dataclass(frozen=True)
class Criterion:
    key: str  # growth: a condition key of the assessment; action: what the scorer observes
    part: str  # GROWTH or ACTION
    points: int  # the most a cluster can earn on it


CRITERIA = (
    Criterion("demand", GROWTH, 15),
    Criterion("factor", GROWTH, 15),
    Criterion("firm_strategy", GROWTH, 12),
    Criterion("related_supporting", GROWTH, 12),
    Criterion("participation", ACTION, 9),
    Criterion("own_analysis", ACTION, 9),
    Criterion("joint_action", ACTION, 9),
    Criterion("commitment", ACTION, 9),
)

MAXIMA = {GROWTH: GROWTH_OPPORTUNITY_MAX, ACTION: ACTION_CAPACITY_MAX}


def of_part(part: str) -> list[Criterion]:
    return [c for c in CRITERIA if c.part == part]


def _check() -> None:
    # A split that does not add up to the study's maxima would print a scoring sheet that
    # contradicts the scores the documents report: fail on import, not in a document.
    for part, most in MAXIMA.items():
        total = sum(c.points for c in of_part(part))
        if total != most:
            raise ValueError(f"the {part} criteria add up to {total} points, not the study's {most}")


_check()
