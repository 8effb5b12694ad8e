"""Cross-border title transfer: a committee-attested bridge between two chains' title registries."""

from tradefin.bridge.client import Pledged, PledgeRecord, PledgeStatus, Provenance, TitleBridge
from tradefin.bridge.history import entry_hash, history_hash
from tradefin.bridge.messages import (
    Attestation,
    BridgeDomain,
    ClaimedAttestation,
    Committee,
    CommitteeChange,
    NotClaimedAttestation,
    PledgeAttestation,
    attestation_signer,
    sign_attestation,
)

__all__ = [
    "Attestation",
    "BridgeDomain",
    "ClaimedAttestation",
    "Committee",
    "CommitteeChange",
    "NotClaimedAttestation",
    "PledgeAttestation",
    "PledgeRecord",
    "PledgeStatus",
    "Pledged",
    "Provenance",
    "TitleBridge",
    "attestation_signer",
    "entry_hash",
    "history_hash",
    "sign_attestation",
]
