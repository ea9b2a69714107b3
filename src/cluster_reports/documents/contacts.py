"""The facilitator's contact list (the cluster's stakeholders and how to reach them) and the
directory of support services near the cluster, for the facilitator guideline.

The contact list is a form: what the params record is filled in, the rest is left as a line to
write on. The directory lists the services the params record; without them the guideline offers a
blank directory of ``BLANK_SERVICES`` rows. The general edition offers both blank.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.inputs.schema import ClusterParams
from cluster_reports.inputs.schema.contacts import Contact

from . import profile
from .i18n import Formatter, Labels

BLANK_CONTACTS = 10  # rows of the blank contact list (general edition)
BLANK_SERVICES = 8  # rows of the blank directory


@dataclass(frozen=True)
class ContactRow:
    name: str
    person: str  # the contact person and/or position; "" where not recorded
    phone_email: str  # in one cell: an upright page has no room for a column of each
    address: str


@dataclass(frozen=True)
class ServiceRow:
    name: str
    type: str
    services: str
    contact: str  # address, telephone and e-mail in one cell; "" where none is recorded
    distance: str  # "12" (km), "" where not recorded


def person(contact: Contact | None, lang: str) -> str:
    if contact is None:
        return ""
    parts = [contact.person, contact.position.get(lang) if contact.position else None]
    return ", ".join(p for p in parts if p)


def contact_rows(params: ClusterParams, lang: str) -> list[ContactRow]:
    """Every stakeholder, with the contact details recorded for it ("" where none are)."""
    rows = []
    for s in params.stakeholders:
        c = s.contact
        reach = "; ".join(v for v in (c.phone, c.email) if v) if c else ""
        rows.append(ContactRow(s.name, person(c, lang), reach, (c and c.address) or ""))
    return rows


def reach(contact: Contact | None, labels: Labels) -> str:
    """Address, telephone and e-mail in one cell, each named ("Tel. (0287) 381234")."""
    if contact is None:
        return ""
    parts = [contact.address] if contact.address else []
    if contact.phone:
        parts.append(f"{labels('contacts.abbr.phone')} {contact.phone}")
    if contact.email:
        parts.append(f"{labels('contacts.abbr.email')} {contact.email}")
    who = person(contact, labels.lang)
    if who:
        parts.append(f"{labels('contacts.abbr.person')} {who}")
    return "; ".join(parts)


def service_rows(params: ClusterParams, labels: Labels) -> list[ServiceRow]:
    fmt = Formatter(labels.lang)
    return [
        ServiceRow(
            s.name, labels(f"contacts.service_type.{s.type.value}"), s.services.get(labels.lang),
            reach(s.contact, labels),
            "" if s.distance_km is None else (
                fmt.number(int(s.distance_km)) if s.distance_km == int(s.distance_km)
                else fmt.decimal(s.distance_km)
            ),
        )
        for s in params.support_services
    ]


def context(params: ClusterParams | None, labels: Labels) -> dict:
    """The two lists' rows and marks; with no cluster (the general edition), blank forms."""
    ctx: dict = {
        "contact_rows": [], "contacts_recorded": 0, "contacts_illustrative": False, "contacts_note": "",
        "service_rows": [], "services_illustrative": False, "services_note": "",
        "blank_contacts": BLANK_CONTACTS, "blank_services": BLANK_SERVICES,
    }
    if params is None:
        return ctx
    sources = profile.document_sources(params, labels)
    recorded = sum(1 for s in params.stakeholders if s.contact is not None)
    ctx.update(contact_rows=contact_rows(params, labels.lang), contacts_recorded=recorded,
               service_rows=service_rows(params, labels))
    if recorded and profile.is_illustrative(params, "stakeholders.contact"):
        ctx.update(contacts_illustrative=True, contacts_note=sources.note("stakeholders.contact"))
    if params.support_services and profile.is_illustrative(params, "support_services"):
        ctx.update(services_illustrative=True, services_note=sources.note("support_services"))
    return ctx
