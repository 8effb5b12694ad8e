"""Transport documents (DCSA eBL 3.0 shape), their validation, canonical JSON and on-chain identity.

>>> from tradefin.documents.examples import shanghai_hong_kong_bill
>>> doc = shanghai_hong_kong_bill()
>>> doc.kind.name, doc.consignment_form.name
('NEGOTIABLE_BILL_OF_LADING', 'TO_ORDER')
>>> len(document_hash(doc))
32
"""

from tradefin.documents.canonical import (
    CanonicalJSONError,
    canonical_document,
    canonical_json,
    document_hash,
    document_id,
    keccak256,
)
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
    IdentifyingCode,
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
    DocumentKind,
    FreightPaymentTermCode,
    InvoicePayableAt,
    Location,
    ModeOfTransport,
    ServiceType,
    TransportDocument,
    TransportDocumentTypeCode,
    Transports,
    VesselVoyage,
)

__all__ = [
    "CanonicalJSONError",
    "CargoItem",
    "CargoMovementType",
    "CarrierCodeListProvider",
    "ConsignmentForm",
    "ConsignmentItem",
    "DocumentKind",
    "DocumentParties",
    "Equipment",
    "FreightPaymentTermCode",
    "IdentifyingCode",
    "InvoicePayableAt",
    "IssuingParty",
    "Location",
    "ModeOfTransport",
    "OuterPackaging",
    "Party",
    "PartyAddress",
    "PartyContactDetail",
    "Seal",
    "SealSource",
    "ServiceType",
    "TaxLegalReference",
    "TransportDocument",
    "TransportDocumentTypeCode",
    "Transports",
    "UtilizedTransportEquipment",
    "VesselVoyage",
    "Volume",
    "VolumeUnit",
    "Weight",
    "WeightUnit",
    "WoodDeclaration",
    "canonical_document",
    "canonical_json",
    "document_hash",
    "document_id",
    "keccak256",
]
