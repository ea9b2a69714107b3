"""The words every document uses for who does what under the cluster's facilitation approach:
who facilitates, whether a working group steers, who receives the reports. Templates branch on
``fa.working_group`` / ``fa.direct`` and take the phrases from here, so the approach is worded the
same way in the strategy, the action plan, the monitoring report and the guideline."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cluster_reports.domain import facilitation
from cluster_reports.inputs.schema import ClusterParams

from .i18n import Labels, series


@dataclass(frozen=True)
class Wording:
    approach: str | None  # the approach's value; None where the params say nothing either way
    stated: bool
    working_group: bool  # the working-group approach (LWG): the group steers, the facilitator serves it
    direct: bool  # a known approach without a working group (e.g. a field facilitator, TPL-IKM)
    group_names: list[str]  # the steering working group(s); empty under 'working_group': not formed yet
    noun: str  # who facilitates, as it reads inside a sentence ("the field facilitator (TPL-IKM)")
    recipient: str  # who receives the progress reports and reviews the targets, inside a sentence
    recipient_named: bool  # recipient is a stakeholder's name (it may fill in a form), not a description
    # Without a working group running the plan: the working group(s) listed that only review it, by name
    review_groups: list[str] = dataclasses.field(default_factory=list)
    reviewers: str = ""  # review_groups as one phrase ("A and B")


def and_list(items: list[str], labels: Labels) -> str:
    """'A', 'A and B', 'A, B and C'; in Indonesian 'A, B, dan C' (PUEBI's series comma)."""
    return series(items, labels("list.and"), labels.lang)


def wording(params: ClusterParams, labels: Labels) -> Wording:
    arr = facilitation.arrangement(params)
    place = params.location.regency_record.kind
    names = [s.name for s in arr.working_groups]
    key = arr.approach.value if arr.approach is not None else "none"
    if arr.with_working_group and names:
        recipient, named = and_list(names, labels), True
    elif arr.with_working_group:  # still to be formed
        recipient, named = labels("facilitation.working_group"), False
    elif arr.reports_to is not None:
        recipient, named = arr.reports_to.name, True
    else:
        recipient, named = labels.of("facilitation.office", place), False
    return Wording(
        approach=arr.approach.value if arr.approach is not None else None,
        stated=arr.stated,
        working_group=arr.with_working_group,
        direct=arr.without_working_group,
        group_names=names,
        noun=labels(f"facilitation.noun.{key}"),
        recipient=recipient,
        recipient_named=named,
        review_groups=[s.name for s in arr.reviewing_groups],
        reviewers=and_list([s.name for s in arr.reviewing_groups], labels) if arr.reviewing_groups else "",
    )
