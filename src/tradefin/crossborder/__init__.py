"""Cross-border trade between named ledgers (Shanghai, Hong Kong): a context per ledger, the committee's keys, the
cross-border demo (a bill bridged to Hong Kong and settled there; delivery versus payment across the two chains)."""

from tradefin.crossborder.ledgers import Ledgers

__all__ = ["Ledgers"]
