"""Roles, the dev-key guard, keystores."""

import pytest

from tradefin.chain.accounts import (
    AccountBook,
    create_keystore,
    dev_account,
    guard_dev_key,
    load_keystore,
)
from tradefin.errors import AccountError, KeyRefused


def test_roles_map_to_distinct_anvil_accounts(accounts):
    assert accounts["deployer"].address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    roles = ["carrier", "shipper", "buyer", "issuing_bank", "financier"]
    assert len({accounts[r].address for r in roles}) == len(roles)
    assert accounts["consignee"].address == accounts["buyer"].address  # an alias


def test_unknown_role_is_refused(accounts):
    with pytest.raises(AccountError, match="unknown role 'pirate'"):
        accounts["pirate"]


def test_dev_keys_refused_on_a_non_dev_chain():
    book = AccountBook(chain_id=1, dev_chain_ids=frozenset({31337}))
    with pytest.raises(AccountError, match="dev keys are refused"):
        book["carrier"]
    with pytest.raises(KeyRefused):
        guard_dev_key(dev_account(1).address, 1, {31337})


def test_declared_dev_chain_allows_dev_keys(monkeypatch):
    from tradefin.chain.connection import declared_dev_chain_ids

    monkeypatch.setenv("TRADEFIN_DEV_CHAIN_IDS", "777, 778")
    ids = declared_dev_chain_ids()
    assert {777, 778, 31337} <= ids
    assert AccountBook(777, ids)["carrier"].address == dev_account(1).address


def test_keystore_roundtrip_and_wrong_password(tmp_path, monkeypatch):
    path = tmp_path / "carrier.json"
    created = create_keystore(path, "correct horse")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert load_keystore(path, "correct horse").address == created.address
    with pytest.raises(AccountError, match="wrong password"):
        load_keystore(path, "nope")
    monkeypatch.setenv("TRADEFIN_KEYSTORE_PASSWORD", "correct horse")
    assert load_keystore(path).address == created.address


def test_keystore_role_on_a_real_chain(tmp_path, monkeypatch):
    created = create_keystore(tmp_path / "carrier.json", "pw")
    monkeypatch.setenv("TRADEFIN_KEYSTORE_PASSWORD", "pw")
    book = AccountBook(chain_id=1, dev_chain_ids=frozenset({31337}), keystore_dir=tmp_path)
    assert book["carrier"].address == created.address


def test_dev_key_in_a_keystore_is_still_refused_off_dev_chains(tmp_path, monkeypatch):
    create_keystore(tmp_path / "carrier.json", "pw", dev_account(1))
    monkeypatch.setenv("TRADEFIN_KEYSTORE_PASSWORD", "pw")
    book = AccountBook(chain_id=1, dev_chain_ids=frozenset({31337}), keystore_dir=tmp_path)
    with pytest.raises(KeyRefused):
        book["carrier"]


def test_unreadable_keystore_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    with pytest.raises(AccountError, match="not a keystore"):
        load_keystore(bad, "x")
    with pytest.raises(AccountError, match="cannot read keystore"):
        load_keystore(tmp_path / "missing.json", "x")


def test_no_password_without_prompt(tmp_path, monkeypatch):
    create_keystore(tmp_path / "k.json", "pw")
    monkeypatch.delenv("TRADEFIN_KEYSTORE_PASSWORD", raising=False)
    with pytest.raises(AccountError, match="TRADEFIN_KEYSTORE_PASSWORD"):
        load_keystore(tmp_path / "k.json", prompt=False)


def test_transactor_refuses_dev_key_on_non_dev_chain(ctx, monkeypatch, shipper):
    monkeypatch.setattr(ctx.chain, "dev_chain_ids", frozenset())
    with pytest.raises(KeyRefused):
        ctx.transactor.send(shipper, to=shipper.address, value=1)
