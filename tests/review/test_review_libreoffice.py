"""Not one reviewer edit lost silently (issue 14), proven with edits made in LibreOffice itself.

Each case (tests/review/uno_cases.py) is a reviewer's edit made through UNO on a fresh copy of a
fresh render, then regenerated with the same data and with changed data; its fate is read from the
regenerated file, the ``.new.docx`` and the review report. One LibreOffice and one render serve the
whole module; each case runs once, whichever tests ask for it.
"""

from __future__ import annotations

import pytest
import uno_cases
from uno_cases import CONFLICT, CORRUPTED, FAILED, KEPT, LOST, QUIET, REPORTED
from uno_office import Office

pytestmark = pytest.mark.clients

BY_NAME = {case.name: case for case in uno_cases.CASES}
# A share of the bench's cases that covers every kind of edit of the issue, within the module's
# time budget (bench/review_edits.py runs them all).
CHOSEN = [
    "bold-products", "italic-constraints", "link-products", "swot-weakness-bold",
    "underline-vision-statement",
    "rewrite-products", "replace-words-history", "add-after-markets", "insert-before-stakeholders",
    "delete-routine", "split-markets", "merge-history", "merge-vision-with-statement",
    "move-products-after-markets", "move-beneficiaries-to-transformation",
    "swot-strength", "vision-statement-strategy", "strategy-demand", "action-factor",
    "add-after-vision-statement", "cell-process-text", "cell-basic-data", "heading-products",
    "tracked-constraints", "comment-markets", "accept-all-products",
    "comment-swot", "tracked-add-routine", "vision-statement-plan-id",
    "another-name", "as-odt", "as-doc", "resave-profile",
]
FORMATTING = [n for n in CHOSEN if BY_NAME[n].issue == "formatting only" or n == "swot-weakness-bold"]
ELSEWHERE = ["another-name", "as-odt", "as-doc"]
MOVES = [n for n in CHOSEN if n.startswith("move-")]
ADDED_AT_END = ["add-after-markets", "add-after-vision-statement", "tracked-add-routine"]
NARRATIVE_OUTSIDE = ["swot-strength", "vision-statement-strategy", "vision-statement-plan-id",
                     "strategy-demand", "action-factor"]


@pytest.fixture(scope="module")
def office():
    with Office() as running:
        yield running


@pytest.fixture(scope="module")
def fates(office, tmp_path_factory):
    bench = uno_cases.Bench(tmp_path_factory.mktemp("review-lo"), office)
    done: dict[str, dict[str, uno_cases.Fate]] = {}

    def fate_of(name: str) -> dict[str, uno_cases.Fate]:
        if name not in done:
            done[name] = bench.run(BY_NAME[name])
        return done[name]

    return fate_of


def _say(result: dict[str, uno_cases.Fate]) -> str:
    return "; ".join(f"{data}: {f.verdict} ({' / '.join(f.notes)[:300]})" for data, f in result.items())


@pytest.mark.parametrize("name", CHOSEN)
def test_no_edit_is_lost_or_corrupts_the_document(fates, name):
    result = fates(name)
    for fate in result.values():
        assert fate.verdict != FAILED, f"the edit could not be made: {fate.notes}"
        if not BY_NAME[name].expect:  # a re-save without edits is no edit
            assert fate.verdict == QUIET, _say(result)
        else:
            assert fate.verdict in (KEPT, CONFLICT, REPORTED), _say(result)
            assert fate.verdict not in (LOST, CORRUPTED)


@pytest.mark.parametrize("name", FORMATTING)
def test_a_formatting_only_edit_is_kept(fates, name):
    result = fates(name)
    assert result["same"].verdict == KEPT, _say(result)  # nothing to resolve: the data did not change
    assert result["changed"].verdict in (KEPT, CONFLICT), _say(result)


@pytest.mark.parametrize("name", ELSEWHERE)
def test_the_reviewers_copy_under_another_name_or_format_is_found(fates, name):
    result = fates(name)
    save_as = BY_NAME[name].save_as
    for fate in result.values():
        found = fate.verdict in (KEPT, CONFLICT) or any(save_as in n or "report names" in n
                                                         for n in fate.notes)
        assert found, f"{save_as} was not looked at: {_say(result)}"


@pytest.mark.parametrize("name", MOVES)
def test_moving_a_paragraph_between_blocks_never_duplicates(fates, name):
    result = fates(name)
    for fate in result.values():
        assert fate.verdict != CORRUPTED, _say(result)
        assert fate.verdict in (KEPT, REPORTED, CONFLICT), _say(result)


@pytest.mark.parametrize("name", ADDED_AT_END)
def test_a_paragraph_added_at_a_blocks_end_stays_with_the_block(fates, name):
    """Enter at the end of a block's last paragraph, then text: the new paragraph is the block's."""
    result = fates(name)
    assert result["same"].verdict == KEPT, _say(result)
    assert result["changed"].verdict in (KEPT, CONFLICT), _say(result)


@pytest.mark.parametrize("name", NARRATIVE_OUTSIDE)
def test_swot_items_visions_strategies_and_actions_are_reviewable(fates, name):
    """Every narrative piece is a block: the reviewer's wording is carried, not only reported."""
    result = fates(name)
    assert result["same"].verdict == KEPT, _say(result)
    assert result["changed"].verdict in (KEPT, CONFLICT), _say(result)
