"""Why a cell's value was refused, in Indonesian or English: pydantic's error, said for a consultant
reading a workbook ("harus bilangan bulat >= 0" / "must be a whole number >= 0")."""

from __future__ import annotations

from pydantic_core import ErrorDetails


def reason(error: ErrorDetails, lang: str) -> str:
    """The reason of one validation error in ``lang`` ('id' or 'en'), without its location."""
    return error["msg"].removeprefix("Value error, ")
