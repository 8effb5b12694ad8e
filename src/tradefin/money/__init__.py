"""Money on chain: banks' tokenized deposits (ERC-20 with EIP-2612 permits)."""

from tradefin.money.deposit import DepositToken, Permit, sign_permit

__all__ = ["DepositToken", "Permit", "sign_permit"]
