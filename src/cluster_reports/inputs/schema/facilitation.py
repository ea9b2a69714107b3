"""How a cluster is facilitated: the approach its documents follow (who sets and reviews targets,
who prepares, carries out and evaluates the plan, who receives the progress reports).

The 2004 pilots and the later SMIDeP project worked with a working group of stakeholders (a
Local Working Group, LWG) that the facilitator served; SMIDeP's regions then moved to a lighter
approach without one, a field facilitator (TPL-IKM) working with the firms directly. A params file
states its approach in ``facilitation``; without it the approach is derived from what the file says
already (see ``derived_approach``), so files written before this section keep working.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .common import Slug, Strict


class Approach(StrEnum):
    # A working group (LWG, pokja) of stakeholders prepares, oversees and evaluates the plan; the
    # facilitator, of whatever kind, serves it as secretariat.
    working_group = "working-group"
    # Without a working group: the facilitator named by the value works with the firms and the
    # stakeholders concerned and reports to the office in charge of industry (or ``reports_to``).
    field_facilitator = "field-facilitator"
    government_officer = "government-officer"
    university_lpm = "university-lpm"
    bds_provider = "bds-provider"
    consultant = "consultant"
    other = "other"


# The facilitator types each approach admits (``Facilitator.type``): a field-facilitator approach
# whose facilitator is a consultant would make the documents contradict each other.
FACILITATOR_TYPES: dict[Approach, frozenset[str]] = {
    Approach.working_group: frozenset({
        "working-group-team", "bds-provider", "university-lpm", "field-facilitator",
        "government-officer", "consultant", "other",
    }),
    **{a: frozenset({a.value, "other"}) for a in Approach if a is not Approach.working_group},
}


class Facilitation(Strict):
    """The cluster's facilitation approach."""

    approach: Approach = Field(
        description="How the cluster is facilitated: 'working-group' (a Local Working Group, LWG / "
        "pokja, steers and the facilitator serves it), or, without a working group, who does the work: "
        "'field-facilitator' (TPL-IKM), 'government-officer' (e.g. a Disperindag officer), "
        "'university-lpm', 'bds-provider', 'consultant', 'other'",
    )
    working_group: Slug | None = Field(
        None,
        description="Approach 'working-group' only: id of the stakeholder (type working-group) that is "
        "the cluster's working group. Default: every stakeholder of type working-group; none means "
        "it is still to be formed",
    )
    reports_to: Slug | None = Field(
        None,
        description="Approaches without a working group: id of the stakeholder that receives the progress "
        "reports and reviews the targets. Default: the regency or city office in charge of industry",
    )


def derived_approach(has_working_group: bool, facilitator_type: str | None) -> Approach | None:
    """The approach of a params file that does not state one: a stakeholder of type working-group
    means the working-group approach; else the facilitator's type says who facilitates; with
    neither, the approach is unknown (None) and documents say nothing either way."""
    if has_working_group or facilitator_type == "working-group-team":
        return Approach.working_group
    if facilitator_type is None:
        return None
    return Approach(facilitator_type)


def check_facilitation(facilitation: Facilitation | None, stakeholders: list,
                       facilitator: object | None) -> None:
    """Refuse a facilitation section that names a stakeholder the file lacks, or that contradicts the
    facilitator's type; messages name the field and say how to fix it."""
    if facilitation is None:
        return
    ids = {s.id: s.type.value for s in stakeholders}
    approach = facilitation.approach
    if facilitation.working_group is not None:
        if approach is not Approach.working_group:
            raise ValueError(
                f"'working_group' is for approach 'working-group' only, not '{approach.value}': "
                "leave it out, or set 'approach: working-group'"
            )
        kind = ids.get(facilitation.working_group)
        if kind != "working-group":
            raise ValueError(
                f"'working_group' is '{facilitation.working_group}', which is "
                + ("not a stakeholder id" if kind is None else f"a stakeholder of type '{kind}'")
                + ": name a stakeholder of type 'working-group'"
            )
    if facilitation.reports_to is not None:
        if approach is Approach.working_group:
            raise ValueError(
                "'reports_to' is for approaches without a working group: under 'working-group' "
                "the working group receives the reports; leave it out"
            )
        if facilitation.reports_to not in ids:
            raise ValueError(
                f"'reports_to' is '{facilitation.reports_to}', which is not a stakeholder id: "
                f"name one of {', '.join(sorted(ids)) or 'the stakeholders (none are listed)'}"
            )
    kind = getattr(facilitator, "type", None)
    if kind is not None and kind not in FACILITATOR_TYPES[approach]:
        fits = derived_approach(False, kind)
        raise ValueError(
            f"'approach' is '{approach.value}' but 'facilitator.type' is '{kind}': "
            f"make them agree (approach '{fits}' for this facilitator, or the facilitator type "
            f"'{approach.value}')"
        )
