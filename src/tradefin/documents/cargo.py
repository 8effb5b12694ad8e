"""Goods and equipment: consignment and cargo items, packaging, containers, seals (DCSA eBL 3.0 shape)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from tradefin.documents.base import DcsaModel, HSCode, Measure, Text, field_error, raise_field_errors

__all__ = [
    "CargoItem",
    "ConsignmentItem",
    "Equipment",
    "OuterPackaging",
    "Seal",
    "SealSource",
    "UtilizedTransportEquipment",
    "Volume",
    "VolumeUnit",
    "Weight",
    "WeightUnit",
    "WoodDeclaration",
]

EquipmentReference = Annotated[Text, Field(max_length=11)]
GoodsLine = Annotated[Text, Field(max_length=35)]


class WeightUnit(StrEnum):
    """Unit of weight."""

    KGM = "KGM"
    """Kilograms."""
    LBR = "LBR"
    """Pounds."""


class VolumeUnit(StrEnum):
    """Unit of volume."""

    MTQ = "MTQ"
    """Cubic metres."""
    FTQ = "FTQ"
    """Cubic feet."""


class SealSource(StrEnum):
    """Who affixed a seal."""

    CAR = "CAR"
    """Carrier."""
    SHI = "SHI"
    """Shipper."""
    VET = "VET"
    """Veterinary authority."""
    CUS = "CUS"
    """Customs."""


class WoodDeclaration(StrEnum):
    """Whether wood is present in the goods or packaging, and how it was treated."""

    NOT_APPLICABLE = "NOT_APPLICABLE"
    """No wood at all."""
    NOT_TREATED_AND_NOT_CERTIFIED = "NOT_TREATED_AND_NOT_CERTIFIED"
    """Untreated wood without certificate."""
    PROCESSED = "PROCESSED"
    """Processed wood only (plywood, particle board, ...)."""
    TREATED_AND_CERTIFIED = "TREATED_AND_CERTIFIED"
    """Treated or fumigated wood with certificate."""


class Weight(DcsaModel):
    """A positive weight."""

    value: Measure
    """Amount, at most 4 decimals; written to JSON as a decimal string."""
    unit: WeightUnit
    """Unit of the amount."""


class Volume(DcsaModel):
    """A positive volume."""

    value: Measure
    """Amount, at most 4 decimals; written to JSON as a decimal string."""
    unit: VolumeUnit
    """Unit of the amount."""


class OuterPackaging(DcsaModel):
    """Outer packaging of a cargo item (cartons, pallets, drums, ...)."""

    package_code: Annotated[str, Field(pattern=r"^[A-Z0-9]{2}$")] | None = None
    """UN/ECE Recommendation 21 package type code, e.g. ``CT`` (carton)."""
    imo_packaging_code: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,5}$")] | None = None
    """IMO packaging code, for dangerous goods."""
    number_of_packages: Annotated[int, Field(ge=1, le=99_999_999)]
    """Number of outer packages."""
    description: Annotated[Text, Field(max_length=100)]
    """Description of the packaging."""
    wood_declaration: WoodDeclaration | None = None
    """Wood content of goods and packaging."""


class CargoItem(DcsaModel):
    """The part of a consignment item stuffed in one container; cannot span containers."""

    equipment_reference: EquipmentReference
    """Container number (ISO 6346 where possible) the item is stuffed in."""
    cargo_gross_weight: Weight
    """Weight including packaging, excluding the container's tare."""
    cargo_gross_volume: Volume | None = None
    """Volume including packaging."""
    cargo_net_weight: Weight | None = None
    """Weight excluding packaging; not more than the gross weight."""
    cargo_net_volume: Volume | None = None
    """Volume excluding packaging."""
    outer_packaging: OuterPackaging
    """Outer packaging of the item."""

    @model_validator(mode="after")
    def _net_within_gross(self) -> Self:
        errors = []
        net, gross = self.cargo_net_weight, self.cargo_gross_weight
        if net is not None and net.unit == gross.unit and net.value > gross.value:
            errors.append(field_error(("cargoNetWeight", "value"), "net weight exceeds gross weight", net.value))
        net_volume, gross_volume = self.cargo_net_volume, self.cargo_gross_volume
        if (
            net_volume is not None
            and gross_volume is not None
            and net_volume.unit == gross_volume.unit
            and net_volume.value > gross_volume.value
        ):
            errors.append(field_error(("cargoNetVolume", "value"), "net volume exceeds gross volume", net_volume.value))
        raise_field_errors(type(self).__name__, errors)
        return self


class ConsignmentItem(DcsaModel):
    """Goods of one booking and commodity, possibly spread over several containers."""

    carrier_booking_reference: Annotated[Text, Field(max_length=35)]
    """Carrier's booking number for these goods."""
    description_of_goods: Annotated[tuple[GoodsLine, ...], Field(min_length=1, max_length=150)]
    """Plain-language description precise enough for customs, one line per entry, order preserved."""
    hs_codes: Annotated[tuple[HSCode, ...], Field(min_length=1)]
    """Harmonized System codes (6-10 digits) of the goods."""
    shipping_marks: (
        Annotated[tuple[Annotated[str, Field(max_length=35)], ...], Field(min_length=1, max_length=50)] | None
    ) = None
    """Marks on the packages, one line per entry, order preserved."""
    cargo_items: Annotated[tuple[CargoItem, ...], Field(min_length=1)]
    """Per-container parts of this item."""


class Seal(DcsaModel):
    """A seal on a container."""

    number: Annotated[Text, Field(max_length=15)]
    """Seal number."""
    source: SealSource | None = None
    """Who affixed the seal."""


class Equipment(DcsaModel):
    """A container."""

    equipment_reference: EquipmentReference
    """Container number, ISO 6346 where possible (e.g. ``APZU4812090``)."""
    iso_equipment_code: Annotated[Text, Field(max_length=4)] | None = None
    """ISO 6346 size-type code, e.g. ``22G1`` or ``42G1``."""
    tare_weight: Weight | None = None
    """Weight of the empty container."""


class UtilizedTransportEquipment(DcsaModel):
    """A container used for the shipment, with its seals."""

    equipment: Equipment
    """The container."""
    is_shipper_owned: bool
    """Whether the shipper owns the container."""
    seals: Annotated[tuple[Seal, ...], Field(min_length=1)]
    """Seals on the container."""
