"""Our EIP-1559 signer produces exactly the bytes eth-account produces."""

from eth_account import Account
from eth_utils import to_checksum_address
from hypothesis import given
from hypothesis import strategies as st

from tradefin.transactions.signing import sign_dynamic_fee

KEY = Account.from_key(bytes.fromhex("4c0883a69102937d6231471b5dbb6204fe512961708279f23efb7b2a5f3c0b1f"))


@given(
    nonce=st.integers(0, 2**32),
    gas=st.integers(21_000, 30_000_000),
    value=st.integers(0, 10**24),
    data=st.binary(max_size=300),
    to=st.one_of(st.none(), st.binary(min_size=20, max_size=20)),
    fees=st.tuples(st.integers(0, 10**12), st.integers(0, 10**12)),
    chain_id=st.sampled_from([1, 31337, 4242]),
)
def test_matches_eth_account(nonce, gas, value, data, to, fees, chain_id):
    tip, extra = fees
    target = None if to is None else to_checksum_address(to)
    tx = {
        "type": 2,
        "chainId": chain_id,
        "nonce": nonce,
        "gas": gas,
        "value": value,
        "data": data,
        "maxPriorityFeePerGas": tip,
        "maxFeePerGas": tip + extra,
    }
    if target is not None:
        tx["to"] = target
    expected = KEY.sign_transaction(tx)
    raw, tx_hash = sign_dynamic_fee(
        bytes(KEY.key),
        chain_id=chain_id,
        nonce=nonce,
        max_priority_fee=tip,
        max_fee=tip + extra,
        gas=gas,
        to=target,
        value=value,
        data=data,
    )
    assert raw == bytes(expected.raw_transaction)
    assert tx_hash == "0x" + bytes(expected.hash).hex()
