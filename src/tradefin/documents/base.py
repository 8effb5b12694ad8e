"""Shared building blocks: the DCSA-style base model, constrained field types and field-level errors.

Decimal quantities (weights, volumes, money) are held as :class:`~decimal.Decimal`, normalised on input
(``12000.000`` becomes ``12000``) and written to JSON as *strings* in plain decimal notation, so that
canonical JSON never passes through IEEE-754 doubles. Counts stay JSON integers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Final

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, ValidationError
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "CountryCode",
    "CurrencyCode",
    "DcsaModel",
    "DocumentDate",
    "HSCode",
    "Loc",
    "Measure",
    "MoneyAmount",
    "Text",
    "UNLocationCode",
    "dcsa_alias",
    "field_error",
    "raise_field_errors",
]

EARLIEST_DATE: Final = dt.date(2000, 1, 1)
"""Earliest date accepted anywhere in a document."""
LATEST_DATE: Final = dt.date(2099, 12, 31)
"""Latest date accepted anywhere in a document."""

_ALIAS_OVERRIDES: Final[dict[str, str]] = {
    "un_location_code": "UNLocationCode",
    "hs_codes": "HSCodes",
    "po_box": "POBox",
    "iso_equipment_code": "ISOEquipmentCode",
}

Loc = tuple[str | int, ...]
"""An error location: JSON keys (DCSA aliases) and list indices."""


def dcsa_alias(name: str) -> str:
    """Map a snake_case attribute name to its DCSA JSON key (camelCase, with DCSA's acronym spellings)."""
    return _ALIAS_OVERRIDES.get(name) or to_camel(name)


class DcsaModel(BaseModel):
    """Immutable model whose JSON keys are DCSA camelCase aliases; unknown keys are rejected."""

    model_config = ConfigDict(
        alias_generator=dcsa_alias,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        allow_inf_nan=False,
    )


def field_error(loc: Loc, message: str, value: object, kind: str = "document_rule") -> InitErrorDetails:
    """One field-level error for :func:`raise_field_errors`; ``message`` must not contain braces."""
    return InitErrorDetails(type=PydanticCustomError(kind, message), loc=loc, input=value)


def raise_field_errors(title: str, errors: list[InitErrorDetails]) -> None:
    """Raise a :class:`~pydantic.ValidationError` carrying ``errors`` if there are any.

    Raised from a model validator, pydantic keeps these locations and prefixes the enclosing ones.
    """
    if errors:
        raise ValidationError.from_exception_data(title, errors)


def _check_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "a calendar date is required, not a timestamp")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError("date_range", "date must lie between 2000-01-01 and 2099-12-31")
    return value


def _normalise_decimal(value: Decimal) -> Decimal:
    normalised = value.normalize()
    exponent = normalised.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        normalised = normalised.quantize(Decimal(1))
    return normalised


def _plain_decimal(value: Decimal) -> str:
    return format(value, "f")


_NON_BLANK: Final = r"^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$"

Text = Annotated[str, Field(pattern=_NON_BLANK)]
"""Non-empty text without leading/trailing whitespace or control characters (add a ``max_length``)."""

UNLocationCode = Annotated[str, Field(pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")]
"""UN/LOCODE: ISO 3166-1 alpha-2 country code plus three characters from A-Z and 2-9 (e.g. ``CNSHA``)."""

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
"""ISO 3166-1 alpha-2 country code."""

CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
"""ISO 4217 alphabetic currency code."""

HSCode = Annotated[str, Field(pattern=r"^[0-9]{6,10}$")]
"""Harmonized System commodity code: 6 to 10 digits."""

DocumentDate = Annotated[dt.date, AfterValidator(_check_date)]
"""A calendar date between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`, written as ``YYYY-MM-DD``."""

Measure = Annotated[
    Decimal,
    Field(gt=0, max_digits=15, decimal_places=4),
    AfterValidator(_normalise_decimal),
    PlainSerializer(_plain_decimal, return_type=str, when_used="json"),
]
"""A positive quantity with at most 4 decimals, serialised as a plain decimal string."""

MoneyAmount = Annotated[
    Decimal,
    Field(gt=0, max_digits=18, decimal_places=3),
    AfterValidator(_normalise_decimal),
    PlainSerializer(_plain_decimal, return_type=str, when_used="json"),
]
"""A positive amount with at most 3 decimals (ISO 4217 minor units), serialised as a decimal string."""
