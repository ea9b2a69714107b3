"""What a cover says beyond the title and the place: the issuing agency, the status with its version,
and a mark where data are synthetic or illustrative. One place, so every kind words them alike."""

from __future__ import annotations

from collections.abc import Iterable

from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.schema import Publication, Status

from .i18n import Labels
from .provenance import SourceRow

SYNTHETIC = "synthetic"
ILLUSTRATIVE = "illustrative"


def mark_of_rows(synthetic: bool, rows: Iterable[SourceRow]) -> str | None:
    """A cluster document's mark: synthetic for a synthetic cluster, else illustrative when any row
    of its data-sources table is not survey data."""
    if synthetic:
        return SYNTHETIC
    return ILLUSTRATIVE if any(row.illustrative for row in rows) else None


def mark_of_summaries(summaries: Iterable[ClusterSummary]) -> str | None:
    """A roll-up's mark: synthetic when any cluster it sums is, else illustrative when any cluster's
    summed figures are."""
    items = list(summaries)
    if any(s.synthetic for s in items):
        return SYNTHETIC
    return ILLUSTRATIVE if any(s.illustrative for s in items) else None


def facts(publication: Publication, mark: str | None, labels: Labels) -> dict:
    """The cover's words, for the template: agency (or None), status line, mark (or None), logo."""
    lang = labels.lang
    agency = publication.agency.get(lang) if publication.agency else None
    status = labels(f"publication.{(publication.status or Status.draft).value}")
    if publication.version:
        status = f"{status}, {labels('publication.version')} {publication.version}"
    return {
        "agency": agency,
        "status": status,
        "mark": None if mark is None else labels("cover.synthetic" if mark == SYNTHETIC
                                                 else "publication.illustrative"),
        "logo": publication.logo is not None,
        "logo_alt": labels("publication.logo_of").format(agency=agency) if agency
        else labels("publication.logo"),
    }
