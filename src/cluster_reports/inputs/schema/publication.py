"""What a document's cover says of its publication: the issuing agency, its logo, status and version.

``params/publication.yaml`` (beside the ``clusters`` folder) holds a project's defaults; a cluster's
params file may override any of them in its own ``publication:`` block. Roll-ups and the general
guideline take the project's defaults. Nothing given: a draft with no agency line and no version,
rather than an invented agency.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from .. import files
from .common import Label, Strict, line

# What the file's first bytes say it is: a file named .png holding a JPEG is still read right.
IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")

Version = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z][0-9A-Za-z.-]*$",
                                           max_length=20)]
LogoPath = line(500)


class Status(StrEnum):
    draft = "draft"
    final = "final"


def image_type(data: bytes) -> str | None:
    """The MIME type of PNG or JPEG data, else None."""
    return next((mime for sig, mime in IMAGE_SIGNATURES.items() if data.startswith(sig)), None)


def logo_file(value: str, folder: Path | None) -> Path:
    """The logo a params file names, relative to that file's folder."""
    path = Path(value).expanduser()
    return path if path.is_absolute() or folder is None else folder / path


class Publication(Strict):
    """A publication block: in ``publication.yaml`` the project's defaults, in a cluster's params its
    overrides. A field left out takes the default (the project's, else: draft, no agency, no logo)."""

    agency: Label | None = Field(
        None, description="The issuing agency as the cover names it, in both languages, e.g. "
        "id: 'Direktorat Jenderal Industri Kecil, Menengah, dan Aneka, Kementerian Perindustrian'"
    )
    logo: LogoPath | None = Field(
        None, description="The agency's logo on the cover: a PNG or JPEG file, its path relative to "
        "the file that names it"
    )
    status: Status | None = Field(None, description="draft or final (default: draft)")
    version: Version | None = Field(None, description="The document's version, e.g. '0.1' or '1.0'")

    @field_validator("logo")
    @classmethod
    def _logo_is_an_image(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        if not value.lower().endswith(IMAGE_SUFFIXES):
            raise ValueError(f"{value!r} is not a PNG or JPEG file (name it .png, .jpg or .jpeg)")
        folder = (info.context or {}).get("folder")
        if folder is None:  # validated without its file (a model built in code): checked when used
            return value
        path = logo_file(value, Path(folder))
        try:  # inside the params root of the file naming it, a regular file, within the limit
            head = files.read_limited(path, files.IMAGE_LIMIT, files.params_root(Path(folder) / "-"))[:8]
        except files.Refused as exc:
            hint = " (a logo's path is relative to the file that names it)"
            raise ValueError(f"{path}: {exc.reason}{hint if exc.reason == 'no such file' else ''}") from None
        except OSError as exc:
            raise ValueError(f"{path}: cannot be read: {exc.strerror}") from None
        if image_type(head) is None:
            raise ValueError(f"{path} is not a PNG or JPEG image (its content is neither)")
        return value

    def anchored(self, folder: Path) -> Publication:
        """The block with its logo's path made absolute: a cluster's block and the project's file sit
        in different folders, and each names its logo relative to itself."""
        if self.logo is None:
            return self
        return self.model_copy(update={"logo": str(logo_file(self.logo, folder).resolve())})

    def over(self, defaults: Publication | None) -> Publication:
        """These fields where given, else the defaults' (a cluster's block over the project's)."""
        if defaults is None:
            return self
        given = {name: value for name, value in self if value is not None}
        return defaults.model_copy(update=given)
