"""What the profile's chapters on the cluster's history and its production process present: the
founding years of the firms summarised, and the production steps with the constraints that bite at
each, in the document's words. The template decides the wording around them."""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.domain.founding import founding_years
from cluster_reports.inputs.schema import ClusterParams

from . import channels
from .i18n import Labels

# A few oldest firms are named; a tie of more is counted instead (a list of twenty names is no sentence).
OLDEST_NAMED = 3


@dataclass(frozen=True)
class StepRow:
    number: int
    step: str
    description: str
    value_added: str | None
    constraints: tuple[str, ...]  # "Technology: ..." for each constraint that bites at the step


def step_rows(params: ClusterParams, labels: Labels) -> list[StepRow]:
    lang = labels.lang
    rows = []
    for n, s in enumerate(params.production_process, start=1):
        bites = tuple(
            f"{labels('constraint.' + params.constraints[i].category.value)}: "
            f"{params.constraints[i].text.get(lang)}"
            for i in s.constraints
        )
        rows.append(StepRow(n, s.step.get(lang), s.description.get(lang),
                            s.value_added.get(lang) if s.value_added else None, bites))
    return rows


def step_series(names: list[str], labels: Labels) -> str:
    """Step names in a sentence. A name that holds a comma or the conjunction itself ("sorting and
    sale") would blur where one step ends, so such a series is joined by semicolons (PUEBI); the
    names keep the case they are written in."""
    conjunction = f" {labels('list.and')} "
    if len(names) < 2 or not any("," in n or conjunction in n for n in names):
        return channels.enumerate_(names, labels)
    return f"{'; '.join(names[:-1])}; {labels('list.and')} {names[-1]}"


def context(params: ClusterParams, labels: Labels) -> dict:
    founding = founding_years(params)
    steps = step_rows(params, labels)
    biting = [r for r in steps if r.constraints]
    tied = {i for s in params.production_process for i in s.constraints}
    began = params.history.began if params.history else None
    return {
        "h": params.history,
        "began_year": began.year if began else None,
        "founding": founding,
        "oldest_named": (channels.enumerate_(list(founding.oldest), labels)
                         if 0 < len(founding.oldest) <= OLDEST_NAMED else None),
        "steps": steps,
        "steps_biting": biting,
        "steps_biting_phrase": step_series([r.step for r in biting], labels),
        "constraints_tied": len(tied),
        "support_no_result": sum(1 for s in params.history.support if s.result is None)
        if params.history else 0,
    }
