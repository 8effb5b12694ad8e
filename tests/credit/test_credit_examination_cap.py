"""The examining bank writes its own banking calendar, so the examination period is capped whatever that calendar
says (UCP 600 art. 14b: a maximum of five banking days): a bank that closes every day cannot block presentations,
and one that leaves a banking day every few weeks cannot push its deadline months out. The Python prediction
(:func:`tradefin.finance.credit.examination_deadline`) gives the contract's deadline in every case."""

import datetime as dt

import pytest
from credit_helpers import AMOUNT, DAY, local_time, move_to

from tradefin import errors
from tradefin.calendars import HONG_KONG, MAX_SCAN_DAYS, SHANGHAI, BankingCity, day_date, day_number, end_of_day
from tradefin.finance.credit import (
    MAX_EXAMINATION_PERIOD,
    PresentationState,
    examination_deadline,
)


def test_the_cap_matches_the_contract(credits):
    assert MAX_EXAMINATION_PERIOD == 21 * DAY
    assert credits.contract.call("MAX_EXAMINATION_PERIOD") == MAX_EXAMINATION_PERIOD


def _days_ahead(chain, place: BankingCity) -> list[dt.date]:
    """Every date from today at ``place`` to the end of the calendar's scan limit, and a day beyond."""
    today = (chain.timestamp() + place.utc_offset) // DAY
    return [day_date(d) for d in range(today, today + MAX_SCAN_DAYS + 2)]


def test_an_examiner_closed_every_day_cannot_block_presentations(
    credits, calendar, open_credit, present, chain, issuing_bank, shipper, hkd, bills
):
    """The issuing bank (Shanghai) closes every weekday for the next 400 days and takes back its weekend working
    days: a presentation is still accepted, its deadline is the cap, and then the beneficiary is paid."""
    days = _days_ahead(chain, SHANGHAI)
    calendar.set_non_banking_days([d for d in days if d.weekday() < 5], sender=issuing_bank)
    calendar.set_weekend_banking_days(
        [d for d in SHANGHAI.weekend_banking_days({d.year for d in days}) if d in days],
        sender=issuing_bank,
        open_=False,
    )
    with pytest.raises(errors.CalendarNoBankingDay):  # what the presentation used to revert with
        calendar.add_banking_days(issuing_bank.address, chain.timestamp(), 5)

    credit_id = open_credit()
    bill, pid = present(credit_id)
    p = credits.presentation(credit_id, pid)
    assert (p.examiner, p.state) == (issuing_bank.address, PresentationState.PRESENTED)
    assert p.examination_deadline == p.presented_at + MAX_EXAMINATION_PERIOD
    assert p.examination_deadline == examination_deadline(SHANGHAI.with_closures(days), p.presented_at)

    move_to(chain, p.examination_deadline)
    with pytest.raises(errors.CreditExaminationNotOver) as caught:
        credits.claim_precluded(credit_id, pid, sender=shipper)
    assert caught.value.deadline == p.examination_deadline
    move_to(chain, p.examination_deadline + 1)
    with pytest.raises(errors.CreditExaminationClosed):
        credits.honour(credit_id, pid, sender=issuing_bank)
    credits.claim_precluded(credit_id, pid, sender=shipper)
    assert hkd.balance_of(shipper.address) == AMOUNT
    assert bills.registry.title(bill).beneficiary == issuing_bank.address
    p = credits.presentation(credit_id, pid)
    assert (p.state, p.precluded) == (PresentationState.HONOURED, True)


def test_an_examiner_with_a_banking_day_every_few_weeks_gets_the_cap_not_months(
    credits, calendar, open_credit, present, chain, financier, shipper
):
    """A nominated bank (Hong Kong) keeps one weekday open every three weeks, from ten days on: by its calendar the
    fifth banking day is more than three months out; the deadline is the cap."""
    days = _days_ahead(chain, HONG_KONG)
    kept = {days[10 + 21 * k] for k in range(15)}
    kept = {d + dt.timedelta(days=2) if d.weekday() >= 5 else d for d in kept}  # a Monday instead of a weekend
    closed = [d for d in days if d.weekday() < 5 and d not in kept]
    calendar.set_non_banking_days(closed, sender=financier)
    assert calendar.add_banking_days(financier.address, chain.timestamp(), 5) - chain.timestamp() > 90 * DAY

    credit_id = open_credit(nominated_bank=financier.address)
    _, pid = present(credit_id)
    p = credits.presentation(credit_id, pid)
    assert p.examiner == financier.address
    assert p.examination_deadline == p.presented_at + MAX_EXAMINATION_PERIOD
    assert p.examination_deadline == examination_deadline(HONG_KONG.with_closures(closed), p.presented_at)
    move_to(chain, p.examination_deadline + 1)
    credits.claim_precluded(credit_id, pid, sender=shipper)
    assert credits.presentation(credit_id, pid).precluded


def test_a_long_closure_within_the_cap_keeps_five_banking_days(
    credits, calendar, open_credit, present, chain, financier
):
    """Presented on Monday 2030-07-08 in Hong Kong, the bank then closed for two weeks (say, typhoons): the fifth
    banking day, Friday 2030-07-26, is 18 days on, within the cap: it is the deadline."""
    move_to(chain, local_time(HONG_KONG, 2030, 7, 8))
    closed = [dt.date(2030, 7, d) for d in range(9, 20) if dt.date(2030, 7, d).weekday() < 5]
    calendar.set_non_banking_days(closed, sender=financier)
    credit_id = open_credit(nominated_bank=financier.address)
    _, pid = present(credit_id)
    p = credits.presentation(credit_id, pid)
    assert p.examination_deadline == end_of_day(HONG_KONG, day_number(dt.date(2030, 7, 26)))
    assert p.examination_deadline == calendar.add_banking_days(financier.address, p.presented_at, 5)
    assert p.examination_deadline == examination_deadline(HONG_KONG.with_closures(closed), p.presented_at)
    assert p.examination_deadline < p.presented_at + MAX_EXAMINATION_PERIOD
