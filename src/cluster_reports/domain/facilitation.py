"""A cluster's facilitation arrangement: its approach (stated or derived) and the stakeholders that
take part in it, which every document words its "who does what" from."""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.inputs.schema import ClusterParams, Stakeholder
from cluster_reports.inputs.schema.facilitation import Approach, derived_approach


@dataclass(frozen=True)
class Arrangement:
    approach: Approach | None  # None: the params say neither (no working group, no facilitator)
    stated: bool  # given in 'facilitation', not derived
    working_groups: tuple[Stakeholder, ...]  # the steering working group(s); empty: none (yet)
    reports_to: Stakeholder | None  # without a working group: who receives the reports, if named
    # Without a working group that runs the plan, a stakeholder of type working-group may still be listed,
    # e.g. an LWG kept from SMIDeP that reviews the plan: it takes no part in running it.
    reviewing_groups: tuple[Stakeholder, ...] = ()

    @property
    def with_working_group(self) -> bool:
        """The working-group approach (LWG), whether or not the group is formed yet."""
        return self.approach is Approach.working_group

    @property
    def without_working_group(self) -> bool:
        """A known approach in which no working group takes part."""
        return self.approach is not None and self.approach is not Approach.working_group


def arrangement(params: ClusterParams) -> Arrangement:
    groups = tuple(s for s in params.stakeholders if s.type.value == "working-group")
    given = params.facilitation
    if given is None:
        kind = params.facilitator.type if params.facilitator is not None else None
        approach = derived_approach(bool(groups), kind)
        return Arrangement(approach, False, groups if approach is Approach.working_group else (), None)
    by_id = {s.id: s for s in params.stakeholders}
    reviewing: tuple[Stakeholder, ...] = ()
    if given.approach is not Approach.working_group:
        groups, reviewing = (), groups  # listed groups do not run the plan under this approach
    elif given.working_group is not None:
        groups = (by_id[given.working_group],)
    reports_to = by_id[given.reports_to] if given.reports_to is not None else None
    return Arrangement(given.approach, True, groups, reports_to, reviewing)
