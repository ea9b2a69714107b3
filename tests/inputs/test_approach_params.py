"""Facilitation approaches in the params (issue 11): files without a 'facilitation' section derive
their approach from what they say already; a stated approach is checked against the stakeholders
and the facilitator's type, with messages that name the field and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE

from cluster_reports.documents import facilitation as wording
from cluster_reports.documents import i18n
from cluster_reports.domain import facilitation
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema.facilitation import Approach

KEBUMEN = SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml"


def _load(tmp_path: Path, change) -> params_io.LoadedParams:
    data = yaml.safe_load(KEBUMEN.read_text(encoding="utf-8"))
    change(data)
    folder = tmp_path / "jawa-tengah"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kebumen-roof-tile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return params_io.load_file(path)


def _no_working_group(data: dict, facilitator_type: str = "field-facilitator") -> None:
    for s in data["stakeholders"]:
        if s["type"] == "working-group":
            s.update(type="association", name="Paguyuban Perajin Genteng Sokka")
    data["facilitator"] = {"name": "Siti Rahayu", "organisation": "Disperindag Kabupaten Kebumen",
                           "type": facilitator_type}


def test_sample_pilot_derives_the_working_group_approach(sample_by_id):
    arr = facilitation.arrangement(sample_by_id["kebumen-roof-tile"].params)
    assert arr.approach is Approach.working_group and not arr.stated
    assert [s.name for s in arr.working_groups] == ["Kelompok Kerja Sentra Genteng Kebumen"]


def test_cluster_with_neither_working_group_nor_facilitator_has_no_approach(sample_by_id):
    # Tegal lists no working group and no facilitator: documents claim neither.
    arr = facilitation.arrangement(sample_by_id["tegal-metalwork"].params)
    assert arr.approach is None and not arr.with_working_group and not arr.without_working_group


@pytest.mark.parametrize(("kind", "approach"), [
    ("field-facilitator", Approach.field_facilitator),
    ("government-officer", Approach.government_officer),
    ("university-lpm", Approach.university_lpm),
    ("consultant", Approach.consultant),
])
def test_facilitator_type_without_working_group_derives_its_approach(tmp_path, kind, approach):
    arr = facilitation.arrangement(_load(tmp_path, lambda d: _no_working_group(d, kind)).params)
    assert arr.approach is approach and arr.without_working_group and arr.working_groups == ()


def test_working_group_team_is_the_working_group_approach_still_to_form(tmp_path, templates):
    loaded = _load(tmp_path, lambda d: _no_working_group(d, "working-group-team"))
    arr = facilitation.arrangement(loaded.params)
    assert arr.with_working_group and arr.working_groups == ()
    words = wording.wording(loaded.params, i18n.labels(templates, "en"))
    assert (words.recipient, words.recipient_named) == ("the working group", False)


def test_stated_approach_overrides_a_listed_working_group(tmp_path, templates):
    # The pokja stays among the stakeholders, but the region now works with a TPL-IKM.
    def change(d):
        d["facilitator"]["type"] = "field-facilitator"
        d["facilitation"] = {"approach": "field-facilitator", "reports_to": "disperindag-kebumen"}

    loaded = _load(tmp_path, change)
    arr = facilitation.arrangement(loaded.params)
    assert arr.stated and arr.approach is Approach.field_facilitator and arr.working_groups == ()
    nouns = {"en": "the field facilitator (TPL-IKM)", "id": "Tenaga Penyuluh Lapangan IKM (TPL-IKM)"}
    for lang, noun in nouns.items():
        words = wording.wording(loaded.params, i18n.labels(templates, lang))
        assert words.direct and not words.working_group and words.noun == noun
        assert words.recipient == "Dinas Perindustrian dan Perdagangan Kabupaten Kebumen"
        assert words.recipient_named


def test_reports_go_to_the_office_of_the_regency_by_default(tmp_path, templates):
    loaded = _load(tmp_path, _no_working_group)
    assert wording.wording(loaded.params, i18n.labels(templates, "id")).recipient == (
        "dinas kabupaten yang membidangi perindustrian")
    assert wording.wording(loaded.params, i18n.labels(templates, "en")).recipient == (
        "the regency office in charge of industry")


def test_stated_working_group_names_the_one_that_steers(tmp_path):
    def change(d):
        d["stakeholders"].append({"id": "pokja-lama", "name": "Pokja Lama", "type": "working-group",
                                  "role": {"en": "Former group.", "id": "Kelompok lama."}})
        d["facilitation"] = {"approach": "working-group", "working_group": "pokja-sentra-genteng"}

    arr = facilitation.arrangement(_load(tmp_path, change).params)
    assert [s.id for s in arr.working_groups] == ["pokja-sentra-genteng"]


@pytest.mark.parametrize(("facilitation_section", "facilitator_type", "reason"), [
    ({"approach": "field-facilitator", "working_group": "pokja-sentra-genteng"}, "field-facilitator",
     "'working_group' is for approach 'working-group' only"),
    ({"approach": "working-group", "working_group": "bri-kebumen"}, "university-lpm",
     "'working_group' is 'bri-kebumen', which is a stakeholder of type 'bank'"),
    ({"approach": "working-group", "working_group": "pokja-x"}, "university-lpm",
     "'working_group' is 'pokja-x', which is not a stakeholder id"),
    ({"approach": "field-facilitator", "reports_to": "dinas-x"}, "field-facilitator",
     "'reports_to' is 'dinas-x', which is not a stakeholder id"),
    ({"approach": "working-group", "reports_to": "disperindag-kebumen"}, "university-lpm",
     "'reports_to' is for approaches without a working group"),
    ({"approach": "field-facilitator"}, "consultant",
     "'approach' is 'field-facilitator' but 'facilitator.type' is 'consultant'"),
    ({"approach": "lwg"}, "university-lpm", "'working-group', 'field-facilitator'"),
])
def test_inconsistent_facilitation_is_refused_with_its_field(tmp_path, facilitation_section, facilitator_type,
                                                            reason):
    def change(d):
        d["facilitator"]["type"] = facilitator_type
        d["facilitation"] = facilitation_section

    with pytest.raises(params_io.ParamsError) as caught:
        _load(tmp_path, change)
    problems = caught.value.problems
    assert any(p.field.startswith("facilitation") and reason in p.reason for p in problems), problems
