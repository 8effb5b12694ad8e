"""A realistic sample shipment for demos and tests: LED monitors from Shanghai (CNSHA) to Hong Kong (HKHKG).

All companies, people, codes and numbers are fictitious.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache, lru_cache

from tradefin.documents.cargo import (
    CargoItem,
    ConsignmentItem,
    Equipment,
    OuterPackaging,
    Seal,
    SealSource,
    UtilizedTransportEquipment,
    Volume,
    VolumeUnit,
    Weight,
    WeightUnit,
    WoodDeclaration,
)
from tradefin.documents.parties import (
    DocumentParties,
    IssuingParty,
    Party,
    PartyAddress,
    PartyContactDetail,
    TaxLegalReference,
)
from tradefin.documents.transport import (
    CargoMovementType,
    CarrierCodeListProvider,
    ConsignmentForm,
    FreightPaymentTermCode,
    InvoicePayableAt,
    Location,
    ServiceType,
    TransportDocument,
    TransportDocumentTypeCode,
    Transports,
    VesselVoyage,
)

__all__ = ["shanghai_hong_kong_bill", "shanghai_hong_kong_waybill"]

SHANGHAI = Location(location_name="Shanghai", un_location_code="CNSHA")
HONG_KONG = Location(location_name="Hong Kong", un_location_code="HKHKG")
PAYABLE_AT = InvoicePayableAt(un_location_code="CNSHA")
ON_BOARD = dt.date(2025, 3, 14)

CARRIER = IssuingParty(
    party_name="Orient Tradefin Container Lines Ltd.",
    address=PartyAddress(
        street="Yincheng Middle Road",
        street_number="501",
        post_code="200120",
        city="Shanghai",
        un_location_code="CNSHA",
        country_code="CN",
    ),
    party_contact_details=(PartyContactDetail(name="Documentation Desk", email="docs@orient-tradefin.example"),),
)

SHIPPER = Party(
    party_name="Shanghai Huaxin Electronics Co., Ltd.",
    address=PartyAddress(
        street="Zhangjiang Road",
        street_number="88",
        post_code="201203",
        city="Shanghai",
        un_location_code="CNSHA",
        country_code="CN",
    ),
    tax_legal_references=(TaxLegalReference(type="USCI", country_code="CN", value="91310115MA1K4B2X3Q"),),
    party_contact_details=(PartyContactDetail(name="Li Wei", email="export@huaxin-electronics.example"),),
)

BUYER = Party(
    party_name="Kowloon Pacific Trading Ltd.",
    address=PartyAddress(
        street="Canton Road",
        street_number="33",
        city="Hong Kong",
        un_location_code="HKHKG",
        country_code="HK",
    ),
    party_contact_details=(PartyContactDetail(name="Chan Ka Ming", phone="+852 2345 6789"),),
)

BANK = Party(
    party_name="Harbour Commercial Bank Ltd.",
    address=PartyAddress(
        street="Des Voeux Road Central",
        street_number="12",
        city="Hong Kong",
        un_location_code="HKHKG",
        country_code="HK",
    ),
    reference="LC HCB-2025-0311",
)

CONTAINERS = ("TFNU4827317", "TFNU4827596")

# The parts below are immutable models, built (and validated) once and shared by every document made from them.


@cache
def _cargo_item(container: str) -> CargoItem:
    return CargoItem(
        equipment_reference=container,
        cargo_gross_weight=Weight(value=Decimal("7800.5"), unit=WeightUnit.KGM),
        cargo_net_weight=Weight(value=Decimal("6960"), unit=WeightUnit.KGM),
        cargo_gross_volume=Volume(value=Decimal("58.2"), unit=VolumeUnit.MTQ),
        outer_packaging=OuterPackaging(
            package_code="CT",
            number_of_packages=600,
            description="Cartons",
            wood_declaration=WoodDeclaration.NOT_APPLICABLE,
        ),
    )


@cache
def _equipment(container: str, seal: str) -> UtilizedTransportEquipment:
    return UtilizedTransportEquipment(
        equipment=Equipment(
            equipment_reference=container,
            iso_equipment_code="45G1",
            tare_weight=Weight(value=Decimal("3900"), unit=WeightUnit.KGM),
        ),
        is_shipper_owned=False,
        seals=(Seal(number=seal, source=SealSource.CAR),),
    )


@lru_cache(maxsize=None, typed=True)  # typed: 0 is not ConsignmentForm.STRAIGHT here
def _parties(consignment_form: ConsignmentForm) -> DocumentParties:
    if consignment_form is ConsignmentForm.STRAIGHT:
        return DocumentParties(shipper=SHIPPER, consignee=BUYER, issuing_party=CARRIER)
    consignee = BANK if consignment_form is ConsignmentForm.TO_ORDER else None
    return DocumentParties(shipper=SHIPPER, consignee=consignee, issuing_party=CARRIER, notify_parties=(BUYER,))


@lru_cache(maxsize=256)
def _transports(on_board: dt.date) -> Transports:
    return Transports(
        planned_departure_date=on_board,
        planned_arrival_date=on_board + dt.timedelta(days=2),
        port_of_loading=SHANGHAI,
        port_of_discharge=HONG_KONG,
        vessel_voyages=(
            VesselVoyage(
                vessel_name="TRADEFIN PIONEER",
                carrier_export_voyage_number="025S",
                universal_export_voyage_reference="2503S",
            ),
        ),
    )


@cache
def _consignment_items() -> tuple[ConsignmentItem, ...]:
    return (
        ConsignmentItem(
            carrier_booking_reference="OTCLSHA2503088",
            description_of_goods=("LED computer monitors, 27 inch", "Model HX-2701, 1 unit per carton"),
            hs_codes=("852852",),
            shipping_marks=("KPT/HK", "PO 2025-0117", "C/NO. 1-1200"),
            cargo_items=tuple(_cargo_item(container) for container in CONTAINERS),
        ),
    )


@cache
def _utilized_equipments() -> tuple[UtilizedTransportEquipment, ...]:
    return (
        _equipment(CONTAINERS[0], "OTC0451187"),
        _equipment(CONTAINERS[1], "OTC0451188"),
    )


def _document(
    reference: str,
    type_code: TransportDocumentTypeCode,
    consignment_form: ConsignmentForm,
    on_board: dt.date = ON_BOARD,
) -> TransportDocument:
    is_bill = type_code is TransportDocumentTypeCode.BOL
    return TransportDocument(
        transport_document_reference=reference,
        transport_document_type_code=type_code,
        is_shipped_on_board_type=True,
        freight_payment_term_code=FreightPaymentTermCode.PRE,
        is_electronic=True,
        is_to_order=consignment_form is not ConsignmentForm.STRAIGHT,
        number_of_originals_without_charges=1 if is_bill else None,
        shipped_on_board_date=on_board,
        issue_date=on_board,
        terms_and_conditions="Carriage subject to the carrier's standard bill of lading terms, edition 2025.",
        receipt_type_at_origin=ServiceType.CY,
        delivery_type_at_destination=ServiceType.CY,
        cargo_movement_type_at_origin=CargoMovementType.FCL,
        cargo_movement_type_at_destination=CargoMovementType.FCL,
        declared_value=Decimal("486000.00"),
        declared_value_currency="USD",
        carrier_code="OTCL",
        carrier_code_list_provider=CarrierCodeListProvider.NMFTA,
        transports=_transports(on_board),
        place_of_issue=SHANGHAI,
        invoice_payable_at=PAYABLE_AT,
        document_parties=_parties(consignment_form),
        consignment_items=_consignment_items(),
        utilized_transport_equipments=_utilized_equipments(),
    )


def shanghai_hong_kong_bill(
    consignment_form: ConsignmentForm = ConsignmentForm.TO_ORDER,
    *,
    reference: str = "OTCLSHA250314001",
    on_board: dt.date = ON_BOARD,
) -> TransportDocument:
    """An electronic, shipped-on-board bill of lading for two 40' containers of monitors.

    ``TO_ORDER`` is made out to order of the buyer's bank (the letter-of-credit case), ``BLANK_ENDORSED``
    names no consignee, ``STRAIGHT`` is consigned to the buyer.
    """
    return _document(reference, TransportDocumentTypeCode.BOL, consignment_form, on_board)


def shanghai_hong_kong_waybill(*, reference: str = "OTCLSHA250314002") -> TransportDocument:
    """The same shipment under a sea waybill consigned to the buyer."""
    return _document(reference, TransportDocumentTypeCode.SWB, ConsignmentForm.STRAIGHT)
