"""The escrows take any ERC-20 that reverts on failure: the same flows settle in a plain 18-decimal test token as in
the bank's deposit token the other tests use."""

import pytest

from tradefin.finance.collection import CollectionStatus
from tradefin.finance.loan import LoanStatus
from tradefin.transactions import Contract

from .conftest import MAX_UINT

ETHER = 10**18


@pytest.fixture
def plain(ctx, deployer, accounts, loans, collections) -> Contract:
    token = ctx.deployments.deploy(deployer, "FinancingTestToken", name="PlainToken")
    for role in ("shipper", "buyer", "financier"):
        account = accounts[role]
        token.transact(account, "mint", account.address, 10_000 * ETHER)
        for spender in (loans, collections):
            token.transact(account, "approve", spender.address, MAX_UINT)
    return token


def test_loan_in_a_plain_token(loans, registry, issue_bill, terms, plain, financier, shipper):
    bill = issue_bill(shipper)
    loan_id = loans.offer(terms(bill, token=plain.address, principal=900 * ETHER, interest=ETHER), sender=financier)
    loans.accept(loan_id, registry, sender=shipper)
    assert plain.call("balanceOf", shipper.address) == 10_900 * ETHER
    loans.repay(loan_id, sender=shipper)
    assert loans.status(loan_id) is LoanStatus.REPAID
    assert plain.call("balanceOf", financier.address) == 10_001 * ETHER
    assert plain.call("balanceOf", loans.address) == 0


def test_collection_in_a_plain_token(collections, registry, issue_bill, instruction, plain, shipper, buyer):
    bill = issue_bill(shipper)
    cid = collections.lodge(registry, bill, instruction(token=plain.address, amount=1_234 * ETHER), sender=shipper)
    collections.pay(cid, sender=buyer)
    assert collections.status(cid) is CollectionStatus.PAID
    assert plain.call("balanceOf", shipper.address) == 11_234 * ETHER
    assert registry.title(bill).beneficiary == buyer.address
