"""Contact details and support services: the shapes of the facilitator's contact list and of a
directory of support services.

One ``Contact`` shape serves a stakeholder of a cluster and a service provider alike, and a
``SupportService`` entry names no cluster (its distance is the only field that belongs to one), so
that a province-wide directory can list the same entries.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from .common import Kilometres, Label, Line, Slug, Strict, Text

# An Indonesian telephone number as offices print it: "(0287) 381234", "0287-381234",
# "+62 287 381234", "031 8531234"; 7 to 15 digits.
_PHONE = re.compile(r"^(?:\+62|\(0\d{1,3}\)|0)[0-9 \-]*$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def check_phone(value: str) -> str:
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.match(value) or not 7 <= digits <= 15:
        raise ValueError(
            f"{value!r} is not a telephone number: write it as offices print it, with the area "
            "code, e.g. '(0287) 381234', '0287-381234' or '+62 287 381234'"
        )
    return value


def check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"{value!r} is not an e-mail address (name@domain, e.g. 'dinas@kebumenkab.go.id')")
    return value


class Contact(Strict):
    """How to reach a body: its office's contact details, not a private person's."""

    person: Line | None = Field(
        None, description="The contact person's name as the office gives it; left out rather than guessed"
    )
    position: Label | None = Field(
        None, description="The contact's position, e.g. en: 'Head of the Industry Division'"
    )
    phone: Line | None = Field(
        None, description="Office telephone with the area code, e.g. '(0287) 381234' or '+62 287 381234'"
    )
    email: Line | None = Field(None, description="Office e-mail address")
    address: Line | None = Field(None, description="Postal address, as written in Indonesian")

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else check_phone(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else check_email(value)

    @model_validator(mode="after")
    def _says_something(self) -> Contact:
        if not any((self.person, self.position, self.phone, self.email, self.address)):
            raise ValueError(
                "a contact gives at least one of person, position, phone, email or address; "
                "leave 'contact' out where none is known"
            )
        return self


class ServiceType(StrEnum):
    """Kinds of support service a facilitator channels firms to (section 4.4 (4) of the 2004 study:
    BDS, finance, technology)."""

    bds_provider = "bds-provider"
    training_centre = "training-centre"
    laboratory = "laboratory"  # testing laboratory or technical research centre (balai)
    financial_institution = "financial-institution"
    business_association = "business-association"
    government_unit = "government-unit"  # a technical unit (UPT) or office that serves firms
    university = "university"
    other = "other"


class SupportService(Strict):
    """A support service: who offers what, and how to reach them."""

    id: Slug
    name: Line = Field(description="The body's name as it writes it, e.g. 'UPT Logam Sidoarjo'")
    type: ServiceType
    services: Text = Field(description="What it offers the firms, in both languages")
    contact: Contact | None = None
    distance_km: Kilometres | None = Field(
        None, description="Distance by road from the cluster, in km (a directory of one cluster)"
    )
