"""The transport document (bill of lading or sea waybill), shaped on the DCSA eBL 3.0 ``TransportDocument``.

Python attributes are snake_case; ``model_dump(by_alias=True)`` and :meth:`TransportDocument.to_dcsa_dict`
emit DCSA camelCase JSON. Differences from DCSA 3.0, chosen so the document can be hashed and tokenised:

* no ``transportDocumentStatus`` (the lifecycle lives on chain, not in the hashed content);
* locations are always given by UN/LOCODE;
* decimal quantities are JSON strings (see :mod:`tradefin.documents.base`);
* optional lists, when present, are non-empty, so "absent" has one spelling.

Rule violations raise :class:`pydantic.ValidationError`; locations of the cross-field rules use the DCSA
JSON keys (e.g. ``("documentParties", "consignee")``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Self

from pydantic import Field, model_validator
from pydantic_core import InitErrorDetails

from tradefin.documents.base import (
    CurrencyCode,
    DcsaModel,
    DocumentDate,
    Loc,
    MoneyAmount,
    Text,
    UNLocationCode,
    field_error,
    raise_field_errors,
)
from tradefin.documents.cargo import ConsignmentItem, UtilizedTransportEquipment
from tradefin.documents.parties import DocumentParties, PartyContactDetail

__all__ = [
    "CargoMovementType",
    "CarrierCodeListProvider",
    "ConsignmentForm",
    "DocumentKind",
    "FreightPaymentTermCode",
    "InvoicePayableAt",
    "Location",
    "ModeOfTransport",
    "ServiceType",
    "TransportDocument",
    "TransportDocumentTypeCode",
    "Transports",
    "VesselVoyage",
]


class DocumentKind(IntEnum):
    """Kind of document, numbered as the Solidity ``DocumentKind`` enum."""

    NEGOTIABLE_BILL_OF_LADING = 0
    """A bill of lading (DCSA ``BOL``): a document of title that must be surrendered for delivery."""
    SEA_WAYBILL = 1
    """A sea waybill (DCSA ``SWB``): a receipt and contract of carriage, not a document of title."""


class ConsignmentForm(IntEnum):
    """How the goods are consigned, numbered as the Solidity ``ConsignmentForm`` enum."""

    STRAIGHT = 0
    """Deliverable only to the named consignee (``isToOrder`` false)."""
    TO_ORDER = 1
    """To order of a named party: a "to order of" consignee or a named endorsee (``isToOrder`` true)."""
    BLANK_ENDORSED = 2
    """To order with neither consignee nor endorsee named: passes by delivery (``isToOrder`` true)."""


class TransportDocumentTypeCode(StrEnum):
    """DCSA transport document type."""

    BOL = "BOL"
    """Bill of lading."""
    SWB = "SWB"
    """Sea waybill."""


class FreightPaymentTermCode(StrEnum):
    """Who pays the ocean freight."""

    PRE = "PRE"
    """Prepaid by the shipper side."""
    COL = "COL"
    """Collect from the consignee side."""


class ServiceType(StrEnum):
    """Service at origin (receipt) or destination (delivery)."""

    CY = "CY"
    """Container yard, including rail ramp."""
    SD = "SD"
    """Store door."""
    CFS = "CFS"
    """Container freight station."""


class CargoMovementType(StrEnum):
    """Whether the cargo fills the container."""

    FCL = "FCL"
    """Full container load."""
    LCL = "LCL"
    """Less than container load."""


class CarrierCodeListProvider(StrEnum):
    """Code list of ``carrierCode``."""

    SMDG = "SMDG"
    """SMDG liner code list."""
    NMFTA = "NMFTA"
    """NMFTA Standard Carrier Alpha Code (SCAC)."""


class ModeOfTransport(StrEnum):
    """Mode of pre- or on-carriage arranged by the carrier."""

    VESSEL = "VESSEL"
    """Feeder vessel."""
    RAIL = "RAIL"
    """Rail."""
    TRUCK = "TRUCK"
    """Truck."""
    BARGE = "BARGE"
    """Barge."""
    MULTIMODAL = "MULTIMODAL"
    """Several modes."""


class Location(DcsaModel):
    """A place identified by its UN/LOCODE."""

    location_name: Annotated[Text, Field(max_length=100)] | None = None
    """Human-readable name of the place."""
    un_location_code: UNLocationCode
    """UN/LOCODE, e.g. ``CNSHA`` (Shanghai) or ``HKHKG`` (Hong Kong)."""


class InvoicePayableAt(DcsaModel):
    """Where freight is payable: a UN/LOCODE or, failing that, free text (exactly one)."""

    un_location_code: UNLocationCode | None = None
    """UN/LOCODE of the place of payment."""
    free_text: Annotated[Text, Field(max_length=35)] | None = None
    """Name of the place of payment, when it has no UN/LOCODE."""

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        errors = []
        if self.un_location_code is None and self.free_text is None:
            errors.append(field_error(("UNLocationCode",), "give a UNLocationCode or a freeText", None))
        elif self.un_location_code is not None and self.free_text is not None:
            errors.append(field_error(("freeText",), "freeText is not allowed with a UNLocationCode", self.free_text))
        raise_field_errors(type(self).__name__, errors)
        return self


class VesselVoyage(DcsaModel):
    """A sea-going vessel and its export voyage."""

    vessel_name: Annotated[Text, Field(max_length=50)]
    """Name of the vessel."""
    carrier_export_voyage_number: Annotated[Text, Field(max_length=50)]
    """Carrier's export voyage number."""
    universal_export_voyage_reference: Annotated[str, Field(pattern=r"^[0-9]{2}[0-9A-Z]{2}[NEWSR]$")] | None = None
    """DCSA universal voyage reference: year, sequence, direction (e.g. ``2511S``)."""


class Transports(DcsaModel):
    """Routing of the shipment."""

    planned_departure_date: DocumentDate
    """Planned departure from the port of loading."""
    planned_arrival_date: DocumentDate
    """Planned arrival at the port of discharge; not before departure."""
    pre_carriage_by: ModeOfTransport | None = None
    """Mode of carrier-arranged transport to the port of loading; needs a place of receipt."""
    on_carriage_by: ModeOfTransport | None = None
    """Mode of carrier-arranged transport from the port of discharge; needs a place of delivery."""
    place_of_receipt: Location | None = None
    """Where the carrier takes charge of the goods, if before the port of loading."""
    port_of_loading: Location
    """Port where the goods are loaded on the first sea-going vessel."""
    port_of_discharge: Location
    """Port where the goods leave the last sea-going vessel; differs from the port of loading."""
    place_of_delivery: Location | None = None
    """Where the carrier hands the goods over, if after the port of discharge."""
    vessel_voyages: Annotated[tuple[VesselVoyage, ...], Field(min_length=1)]
    """Vessels and voyages, first sea-going vessel first."""

    @model_validator(mode="after")
    def _consistent_route(self) -> Self:
        errors = []
        if self.planned_arrival_date < self.planned_departure_date:
            errors.append(
                field_error(("plannedArrivalDate",), "arrival is before departure", self.planned_arrival_date)
            )
        if self.pre_carriage_by is not None and self.place_of_receipt is None:
            errors.append(field_error(("placeOfReceipt",), "pre-carriage needs a place of receipt", None))
        if self.on_carriage_by is not None and self.place_of_delivery is None:
            errors.append(field_error(("placeOfDelivery",), "on-carriage needs a place of delivery", None))
        if self.port_of_discharge.un_location_code == self.port_of_loading.un_location_code:
            errors.append(
                field_error(
                    ("portOfDischarge", "UNLocationCode"),
                    "port of discharge equals port of loading",
                    self.port_of_discharge.un_location_code,
                )
            )
        raise_field_errors(type(self).__name__, errors)
        return self


Reference = Annotated[Text, Field(max_length=35)]
Count = Annotated[int, Field(ge=0, le=99)]


class TransportDocument(DcsaModel):
    """An issued bill of lading or sea waybill: the content whose hash becomes the token id."""

    transport_document_reference: Annotated[Text, Field(max_length=20)]
    """Carrier's unique number of the document (the B/L number)."""
    transport_document_sub_reference: Annotated[Text, Field(max_length=100)] | None = None
    """Distinguishes versions (amendments) of the same document."""
    shipping_instructions_reference: Annotated[Text, Field(max_length=100)] | None = None
    """Carrier's reference of the shipping instructions the document was drafted from."""
    transport_document_type_code: TransportDocumentTypeCode
    """``BOL`` (bill of lading) or ``SWB`` (sea waybill)."""
    is_shipped_on_board_type: bool
    """True for a shipped-on-board document, false for a received-for-shipment document."""
    freight_payment_term_code: FreightPaymentTermCode | None = None
    """Whether freight is prepaid or collect."""
    is_electronic: bool = True
    """Whether the document is electronic (an eBL)."""
    is_to_order: bool
    """Whether the document is made out to order (negotiable); always false for a sea waybill."""
    number_of_originals_with_charges: Count | None = None
    """Originals issued showing charges; bills of lading only."""
    number_of_originals_without_charges: Count | None = None
    """Originals issued without charges; bills of lading only. An eBL has one original in total."""
    shipped_on_board_date: DocumentDate | None = None
    """Date the last container was loaded; required on, and only on, a shipped-on-board document."""
    received_for_shipment_date: DocumentDate | None = None
    """Date the last container was received; required on, and only on, a received-for-shipment document."""
    issue_date: DocumentDate
    """Date of issue; not before the shipped-on-board or received-for-shipment date."""
    terms_and_conditions: Annotated[str, Field(min_length=1, max_length=50_000)] | None = None
    """Carrier's terms and conditions of carriage."""
    receipt_type_at_origin: ServiceType | None = None
    """Service at origin."""
    delivery_type_at_destination: ServiceType | None = None
    """Service at destination."""
    cargo_movement_type_at_origin: CargoMovementType | None = None
    """FCL or LCL at origin."""
    cargo_movement_type_at_destination: CargoMovementType | None = None
    """FCL or LCL at destination."""
    service_contract_reference: Annotated[Text, Field(max_length=30)] | None = None
    """Service contract between shipper and carrier."""
    contract_quotation_reference: Reference | None = None
    """Contract or quotation the freight was priced under."""
    declared_value: MoneyAmount | None = None
    """Value of the cargo declared by the shipper (decimal string in JSON); needs a currency."""
    declared_value_currency: CurrencyCode | None = None
    """ISO 4217 currency of ``declared_value``; only with a declared value."""
    carrier_code: Annotated[str, Field(pattern=r"^\S+$", max_length=4)]
    """SCAC or SMDG code of the issuing carrier."""
    carrier_code_list_provider: CarrierCodeListProvider
    """Which list ``carrier_code`` comes from."""
    carrier_clauses: Annotated[tuple[Annotated[Text, Field(max_length=20_000)], ...], Field(min_length=1)] | None = None
    """Additional clauses added by the carrier."""
    transports: Transports
    """Routing: ports, places, vessels and planned dates."""
    place_of_issue: Location | None = None
    """Where the document was issued."""
    invoice_payable_at: InvoicePayableAt | None = None
    """Where freight is payable."""
    party_contact_details: Annotated[tuple[PartyContactDetail, ...], Field(min_length=1)] | None = None
    """Whom to contact about the document."""
    document_parties: DocumentParties
    """Shipper, consignee or endorsee, notify parties and issuing carrier."""
    consignment_items: Annotated[tuple[ConsignmentItem, ...], Field(min_length=1)]
    """The goods; at least one item."""
    utilized_transport_equipments: Annotated[tuple[UtilizedTransportEquipment, ...], Field(min_length=1)] | None = None
    """Containers used; when given, every cargo item's container must be among them."""

    @property
    def kind(self) -> DocumentKind:
        """Bill of lading or sea waybill."""
        if self.transport_document_type_code is TransportDocumentTypeCode.SWB:
            return DocumentKind.SEA_WAYBILL
        return DocumentKind.NEGOTIABLE_BILL_OF_LADING

    @property
    def consignment_form(self) -> ConsignmentForm:
        """Straight, to order of a named party, or blank endorsed."""
        if not self.is_to_order:
            return ConsignmentForm.STRAIGHT
        parties = self.document_parties
        if parties.endorsee is None and parties.consignee is None:
            return ConsignmentForm.BLANK_ENDORSED
        return ConsignmentForm.TO_ORDER

    @property
    def is_negotiable(self) -> bool:
        """Whether title passes by endorsement or delivery: a to-order or blank-endorsed bill of lading."""
        return self.kind is DocumentKind.NEGOTIABLE_BILL_OF_LADING and self.is_to_order

    @property
    def number_of_originals(self) -> int | None:
        """Total originals issued, or None if not stated."""
        counts = [self.number_of_originals_with_charges, self.number_of_originals_without_charges]
        given = [count for count in counts if count is not None]
        return sum(given) if given else None

    def to_dcsa_dict(self) -> dict[str, Any]:
        """DCSA-style JSON object: camelCase keys, no null members, dates and decimals as strings."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return data

    @classmethod
    def from_dcsa(cls, data: str | bytes | Mapping[str, Any]) -> Self:
        """Parse DCSA-style JSON text or an already-decoded JSON object."""
        if isinstance(data, (str, bytes)):
            return cls.model_validate_json(data)
        return cls.model_validate(dict(data))

    def to_dcsa_json(self, *, indent: int | None = None) -> str:
        """DCSA-style JSON text (keys in declaration order; use :mod:`.canonical` for hashing)."""
        return json.dumps(self.to_dcsa_dict(), indent=indent, ensure_ascii=False)

    @model_validator(mode="after")
    def _document_rules(self) -> Self:
        errors = [
            *self._date_errors(),
            *self._consignment_errors(),
            *self._originals_errors(),
            *self._declared_value_errors(),
            *self._equipment_errors(),
        ]
        raise_field_errors(type(self).__name__, errors)
        return self

    def _date_errors(self) -> list[InitErrorDetails]:
        errors = []
        on_board = ("shippedOnBoardDate", self.shipped_on_board_date)
        received = ("receivedForShipmentDate", self.received_for_shipment_date)
        (needed, needed_date), (banned, banned_date), kind = (
            (on_board, received, "shipped-on-board")
            if self.is_shipped_on_board_type
            else (received, on_board, "received-for-shipment")
        )
        if needed_date is None:
            errors.append(field_error((needed,), f"a {kind} document needs this date", None))
        if banned_date is not None:
            errors.append(field_error((banned,), f"not allowed on a {kind} document", banned_date))
        if needed_date is not None and self.issue_date < needed_date:
            errors.append(field_error(("issueDate",), f"issue date is before {needed}", self.issue_date))
        return errors

    def _consignment_errors(self) -> list[InitErrorDetails]:
        errors = []
        parties = self.document_parties
        if self.is_to_order:
            if self.kind is DocumentKind.SEA_WAYBILL:
                errors.append(field_error(("isToOrder",), "a sea waybill cannot be made out to order", True))
            if parties.consignee is not None and parties.endorsee is not None:
                errors.append(
                    field_error(
                        ("documentParties", "endorsee"),
                        "consignee and endorsee are mutually exclusive",
                        parties.endorsee.party_name,
                    )
                )
            if parties.notify_parties is None:
                errors.append(
                    field_error(("documentParties", "notifyParties"), "a to-order document needs a notify party", None)
                )
        else:
            if parties.consignee is None:
                errors.append(
                    field_error(("documentParties", "consignee"), "a straight document needs a named consignee", None)
                )
            if parties.endorsee is not None:
                errors.append(
                    field_error(
                        ("documentParties", "endorsee"),
                        "only a to-order document can have an endorsee",
                        parties.endorsee.party_name,
                    )
                )
        return errors

    def _originals_errors(self) -> list[InitErrorDetails]:
        with_charges, without_charges = (
            self.number_of_originals_with_charges,
            self.number_of_originals_without_charges,
        )
        total = self.number_of_originals
        if total is None:
            return []
        key = "numberOfOriginalsWithoutCharges" if without_charges is not None else "numberOfOriginalsWithCharges"
        value = without_charges if without_charges is not None else with_charges
        if self.kind is DocumentKind.SEA_WAYBILL:
            return [field_error((key,), "a sea waybill has no originals", value)]
        if self.is_electronic and total != 1:
            return [field_error((key,), "an electronic bill of lading has exactly one original", value)]
        if total < 1:
            return [field_error((key,), "a bill of lading has at least one original", value)]
        return []

    def _declared_value_errors(self) -> list[InitErrorDetails]:
        if self.declared_value is not None and self.declared_value_currency is None:
            return [field_error(("declaredValueCurrency",), "a declared value needs a currency", None)]
        if self.declared_value is None and self.declared_value_currency is not None:
            return [
                field_error(("declaredValue",), "a currency was given without a declared value", None),
            ]
        return []

    def _equipment_errors(self) -> list[InitErrorDetails]:
        equipments = self.utilized_transport_equipments
        if equipments is None:
            return []
        errors = []
        known: set[str] = set()
        for index, used in enumerate(equipments):
            reference = used.equipment.equipment_reference
            if reference in known:
                loc: Loc = ("utilizedTransportEquipments", index, "equipment", "equipmentReference")
                errors.append(field_error(loc, "container listed twice", reference))
            known.add(reference)
        for item_index, item in enumerate(self.consignment_items):
            for cargo_index, cargo in enumerate(item.cargo_items):
                if cargo.equipment_reference not in known:
                    loc = ("consignmentItems", item_index, "cargoItems", cargo_index, "equipmentReference")
                    message = "container is not among utilizedTransportEquipments"
                    errors.append(field_error(loc, message, cargo.equipment_reference))
        return errors
