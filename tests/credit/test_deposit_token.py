"""A bank's tokenized deposit: only the bank changes the supply, permits, two-step handover of the bank."""

import pytest

from tradefin import errors
from tradefin.errors import TradefinError
from tradefin.money import DepositToken
from tradefin.money.deposit import currency_code


@pytest.fixture(scope="session")
def cnh(ctx, issuing_bank) -> DepositToken:
    return DepositToken.deploy(ctx, issuing_bank, currency="CNH", name="Lotus Bank CNH Deposit", symbol="lbCNH")


def test_metadata(cnh, issuing_bank):
    assert cnh.name == "Lotus Bank CNH Deposit"
    assert cnh.symbol == "lbCNH"
    assert cnh.currency == "CNH"
    assert cnh.decimals == 2
    assert cnh.bank == issuing_bank.address
    assert cnh.total_supply() == 0


def test_the_bank_mints_and_burns(cnh, issuing_bank, buyer):
    receipt = cnh.mint(buyer.address, 500_00, sender=issuing_bank)
    assert [e.name for e in cnh.contract.decode_logs(receipt)] == ["Transfer", "DepositMinted"]
    assert cnh.balance_of(buyer.address) == 500_00
    cnh.transfer(issuing_bank.address, 100_00, sender=buyer)
    receipt = cnh.burn(100_00, sender=issuing_bank)
    assert cnh.contract.decode_logs(receipt)[-1].args == {"from": issuing_bank.address, "amount": 100_00}
    cnh.approve(issuing_bank.address, 50_00, sender=buyer)
    cnh.burn_from(buyer.address, 50_00, sender=issuing_bank)
    assert cnh.balance_of(buyer.address) == 350_00
    assert cnh.total_supply() == 350_00


def test_nobody_else_mints_or_burns(cnh, issuing_bank, buyer):
    cnh.mint(buyer.address, 10_00, sender=issuing_bank)
    for act in (
        lambda: cnh.mint(buyer.address, 1, sender=buyer),
        lambda: cnh.burn(1, sender=buyer),
        lambda: cnh.burn_from(buyer.address, 1, sender=buyer),
    ):
        with pytest.raises(errors.OwnableUnauthorizedAccount) as caught:
            act()
        assert caught.value.account == buyer.address


def test_the_bank_burns_a_customers_tokens_only_within_its_allowance(cnh, issuing_bank, buyer):
    cnh.mint(buyer.address, 10_00, sender=issuing_bank)
    with pytest.raises(errors.ERC20InsufficientAllowance) as caught:
        cnh.burn_from(buyer.address, 1_00, sender=issuing_bank)
    assert (caught.value.spender, caught.value.allowance, caught.value.needed) == (issuing_bank.address, 0, 1_00)
    with pytest.raises(errors.ERC20InsufficientBalance):
        cnh.burn(1, sender=issuing_bank)


def test_permit_lets_a_relayer_set_an_allowance(cnh, issuing_bank, buyer, shipper, relayer):
    cnh.mint(buyer.address, 10_00, sender=issuing_bank)
    permit = cnh.sign_permit(buyer, shipper.address, 7_00)
    cnh.permit(permit, sender=relayer)
    assert cnh.allowance(buyer.address, shipper.address) == 7_00
    assert cnh.nonce(buyer.address) == 1
    cnh.transfer_from(buyer.address, shipper.address, 7_00, sender=shipper)
    assert cnh.balance_of(shipper.address) == 7_00
    with pytest.raises(errors.ERC2612InvalidSigner):  # replay: the nonce moved on
        cnh.permit(permit, sender=relayer)


def test_expired_permit(cnh, buyer, shipper, relayer, chain):
    permit = cnh.sign_permit(buyer, shipper.address, 1, deadline=chain.timestamp() - 1)
    with pytest.raises(errors.ERC2612ExpiredSignature) as caught:
        cnh.permit(permit, sender=relayer)
    assert caught.value.deadline == permit.deadline


def test_bank_handover_takes_two_steps_and_cannot_be_renounced(cnh, issuing_bank, confirming_bank, buyer):
    cnh.transfer_bank(confirming_bank.address, sender=issuing_bank)
    assert cnh.bank == issuing_bank.address
    with pytest.raises(errors.OwnableUnauthorizedAccount):
        cnh.accept_bank(sender=buyer)
    cnh.accept_bank(sender=confirming_bank)
    assert cnh.bank == confirming_bank.address
    cnh.mint(buyer.address, 1, sender=confirming_bank)
    with pytest.raises(errors.OwnableUnauthorizedAccount):
        cnh.mint(buyer.address, 1, sender=issuing_bank)
    with pytest.raises(errors.DepositRenounceDisabled):
        cnh.contract.transact(confirming_bank, "renounceOwnership")


@pytest.mark.parametrize("code", [b"hkd", b"HK1", b"\x00\x00\x00"])
def test_constructor_rejects_a_bad_currency(ctx, issuing_bank, code):
    with pytest.raises(errors.DepositInvalidCurrency) as caught:
        ctx.deployments.deploy(issuing_bank, "DepositToken", "X", "X", code, 2, issuing_bank.address, name="bad")
    assert caught.value.code == code


def test_constructor_rejects_zero_bank_and_too_many_decimals(ctx, issuing_bank):
    zero = "0x" + "00" * 20
    with pytest.raises(errors.DepositZeroBank):
        ctx.deployments.deploy(issuing_bank, "DepositToken", "X", "X", b"HKD", 2, zero, name="bad")
    with pytest.raises(errors.DepositInvalidDecimals) as caught:
        ctx.deployments.deploy(issuing_bank, "DepositToken", "X", "X", b"HKD", 19, issuing_bank.address, name="bad")
    assert (caught.value.decimals_, caught.value.max) == (19, 18)


def test_amount_helpers(cnh):
    assert cnh.units("1234.56") == 123456
    assert cnh.format(123456) == "1234.56 CNH"
    with pytest.raises(TradefinError):
        cnh.units("0.001")
    with pytest.raises(TradefinError):
        cnh.units("ten")
    with pytest.raises(TradefinError):
        currency_code("hkd")
