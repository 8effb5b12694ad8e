"""Document parties (shipper, consignee, endorsee, notify parties, issuing carrier), DCSA eBL 3.0 shape."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from tradefin.documents.base import (
    CountryCode,
    DcsaModel,
    Text,
    UNLocationCode,
    field_error,
    raise_field_errors,
)

__all__ = [
    "DocumentParties",
    "IdentifyingCode",
    "IssuingParty",
    "Party",
    "PartyAddress",
    "PartyContactDetail",
    "TaxLegalReference",
]

AddressLine = Annotated[str, Field(max_length=35)]


class PartyAddress(DcsaModel):
    """Structured postal address of a party."""

    street: Annotated[str, Field(min_length=1, max_length=70)]
    """Street name."""
    street_number: Annotated[str, Field(max_length=50)] | None = None
    """House or building number on the street."""
    floor: Annotated[Text, Field(max_length=50)] | None = None
    """Floor within the building."""
    post_code: Annotated[str, Field(max_length=10)] | None = None
    """Postal code."""
    po_box: Annotated[str, Field(max_length=20)] | None = None
    """Post office box number."""
    city: Annotated[Text, Field(max_length=35)]
    """City name."""
    un_location_code: UNLocationCode | None = None
    """UN/LOCODE of the city, if known."""
    state_region: Annotated[str, Field(max_length=65)] | None = None
    """State, province or region."""
    country_code: CountryCode
    """ISO 3166-1 alpha-2 country code."""


class PartyContactDetail(DcsaModel):
    """A person to contact; at least one of phone and email is required."""

    name: Annotated[Text, Field(max_length=35)]
    """Name of the contact person."""
    phone: Annotated[Text, Field(max_length=30)] | None = None
    """Phone number in international (ITU-T E.123) format."""
    email: Annotated[str, Field(max_length=100, pattern=r"^.+@\S+$")] | None = None
    """E-mail address."""

    @model_validator(mode="after")
    def _phone_or_email(self) -> Self:
        if self.phone is None and self.email is None:
            raise_field_errors(
                type(self).__name__,
                [field_error(("email",), "a contact needs a phone number or an email", None)],
            )
        return self


class IdentifyingCode(DcsaModel):
    """A code identifying the party in some code list (LEI, DID, DUNS, eBL platform id, ...)."""

    code_list_provider: Annotated[Text, Field(max_length=100)]
    """Who maintains the code list, e.g. ``GLEIF``, ``W3C``, ``DNB`` or an eBL platform code."""
    party_code: Annotated[Text, Field(max_length=150)]
    """The party's code in that list."""
    code_list_name: Annotated[Text, Field(max_length=100)] | None = None
    """Name of the code list, e.g. ``LEI``, ``DID`` or ``DUNS``."""


class TaxLegalReference(DcsaModel):
    """A tax or legal registration of the party (e.g. EORI, USCI)."""

    type: Annotated[Text, Field(max_length=50)]
    """Reference type as defined by the tax or legal authority."""
    country_code: CountryCode
    """Country of the issuing authority (ISO 3166-1 alpha-2)."""
    value: Annotated[Text, Field(max_length=35)]
    """The reference itself."""


class Party(DcsaModel):
    """A company or person named on the transport document."""

    party_name: Annotated[Text, Field(max_length=70)]
    """Name of the party."""
    address: PartyAddress | None = None
    """Structured address."""
    displayed_address: Annotated[tuple[AddressLine, ...], Field(min_length=1, max_length=6)] | None = None
    """Address lines printed on the document instead of ``address`` (e.g. to match a letter of credit)."""
    identifying_codes: Annotated[tuple[IdentifyingCode, ...], Field(min_length=1)] | None = None
    """Codes identifying the party."""
    tax_legal_references: Annotated[tuple[TaxLegalReference, ...], Field(min_length=1)] | None = None
    """Tax and legal registrations of the party."""
    party_contact_details: Annotated[tuple[PartyContactDetail, ...], Field(min_length=1)] | None = None
    """People to contact at the party."""
    reference: Annotated[Text, Field(max_length=35)] | None = None
    """A reference of the party's own (e.g. a purchase order)."""


class IssuingParty(Party):
    """The carrier (or its agent) issuing the document; its address is mandatory."""

    address: PartyAddress
    """Structured address of the issuer."""


class DocumentParties(DcsaModel):
    """All parties of the document, by role."""

    shipper: Party
    """Party that contracted carriage with the carrier and delivers the goods."""
    consignee: Party | None = None
    """Named consignee of a straight bill, or the "to order of" party of an order bill."""
    endorsee: Party | None = None
    """Party to whom a to-order bill has been endorsed; absent on a blank-endorsed bill."""
    issuing_party: IssuingParty
    """The carrier issuing the document."""
    notify_parties: Annotated[tuple[Party, ...], Field(min_length=1, max_length=3)] | None = None
    """Up to three parties notified on arrival, first notify party first; required for to-order bills."""
