"""Banking calendars: the contract and the Python twin agree (year ends, Lunar New Year, weekend working days,
typhoon closures, ordinary weeks), and every revert path."""

import datetime as dt

import pytest
from credit_helpers import calendar_years, local_time
from hypothesis import given, settings
from hypothesis import strategies as st

from tradefin import errors
from tradefin.calendars import (
    HONG_KONG,
    MAX_BANKING_DAYS,
    MAX_SCAN_DAYS,
    SHANGHAI,
    BankingCity,
    CalendarError,
    banking_days_between,
    banking_deadline,
    banking_deadline_within,
    city,
    day_date,
    day_number,
    end_of_day,
    local_day,
    sync_calendar,
)

NEW_YORK = BankingCity("New York (fixed UTC-5)", "US", -5 * 3600)
"""A bank west of UTC: checks the offset arithmetic on the other side of the date line."""


def end_of(place: BankingCity, year: int, month: int, day: int) -> int:
    return end_of_day(place, day_number(dt.date(year, month, day)))


@pytest.fixture(scope="session")
def banks(issuing_bank, advising_bank):
    """The synced calendar of a bank in each city."""
    return {SHANGHAI: issuing_bank.address, HONG_KONG: advising_bank.address}


@pytest.fixture(scope="session")
def new_york_bank(ctx, calendar, collecting_bank):
    sync_calendar(ctx, calendar, collecting_bank, NEW_YORK, range(2025, 2031))
    return collecting_bank.address


# ---------------------------------------------------------------------------------------------- fixed scenarios

SCENARIOS = [
    # (city, presented (local date, hour), n, deadline's local date, why)
    (HONG_KONG, (2026, 12, 30, 10), 5, (2027, 1, 7), "year end: New Year's Day and a weekend skipped"),
    (HONG_KONG, (2025, 12, 24, 10), 1, (2025, 12, 29), "Christmas Day and the first weekday after it"),
    (HONG_KONG, (2027, 2, 5, 10), 1, (2027, 2, 10), "Lunar New Year 2027: Monday and Tuesday closed"),
    (HONG_KONG, (2026, 11, 9, 10), 5, (2026, 11, 16), "an ordinary week: Monday to Monday"),
    (HONG_KONG, (2026, 11, 9, 23), 5, (2026, 11, 16), "late on Monday is still Monday in Hong Kong"),
    (HONG_KONG, (2026, 11, 9, 10), 0, (2026, 11, 9), "zero banking days: the end of the day itself"),
    (HONG_KONG, (2026, 11, 14, 10), 1, (2026, 11, 16), "presented on a Saturday: Monday is the first"),
    (SHANGHAI, (2027, 2, 4, 10), 5, (2027, 2, 17), "Lunar New Year 2027: eve to the sixth day closed"),
    (SHANGHAI, (2026, 2, 13, 10), 1, (2026, 2, 14), "a working Saturday before Lunar New Year 2026"),
    (SHANGHAI, (2026, 2, 13, 10), 2, (2026, 2, 24), "then the whole Spring Festival is closed"),
    (SHANGHAI, (2026, 2, 13, 10), 6, (2026, 2, 28), "and the Saturday after it is a working day"),
    (SHANGHAI, (2026, 9, 30, 10), 3, (2026, 10, 10), "Golden Week, then a working Saturday"),
    (SHANGHAI, (2025, 12, 31, 10), 1, (2026, 1, 4), "year end: 1-2 January closed, Sunday 4 January open"),
]


@pytest.mark.parametrize(("place", "presented", "n", "deadline", "why"), SCENARIOS, ids=[s[4] for s in SCENARIOS])
def test_fixed_scenarios_on_chain_and_in_python(calendar, banks, place, presented, n, deadline, why):
    when = local_time(place, *presented)
    expected = end_of(place, *deadline)
    assert calendar.add_banking_days(banks[place], when, n) == expected, why
    assert banking_deadline(place, when, n) == expected, why


@pytest.mark.parametrize(("place", "presented", "n", "deadline", "why"), SCENARIOS, ids=[s[4] for s in SCENARIOS])
def test_within_finds_the_same_deadline_or_none(calendar, banks, place, presented, n, deadline, why):
    """``addBankingDaysWithin`` gives ``addBankingDays``'s deadline if it is at most ``maxDays`` days after the day of
    presentation, else (False, 0); ``banking_deadline_within`` agrees."""
    when = local_time(place, *presented)
    expected = end_of(place, *deadline)
    days = (dt.date(*deadline) - dt.date(*presented[:3])).days
    for max_days in (days, days + 1, MAX_SCAN_DAYS, MAX_SCAN_DAYS + 1, 2**256 - 1):
        assert calendar.add_banking_days_within(banks[place], when, n, max_days) == expected, why
        assert banking_deadline_within(place, when, n, min(max_days, 10**6)) == expected, why
    if days:
        assert calendar.contract.call("addBankingDaysWithin", banks[place], when, n, days - 1) == (False, 0), why
        assert banking_deadline_within(place, when, n, days - 1) is None, why


def test_just_after_local_midnight_is_the_next_day(calendar, banks):
    # 00:30 on Tuesday in Hong Kong is still Monday in UTC: the bank counts from Tuesday.
    when = local_time(HONG_KONG, 2026, 11, 10, 0) + 1800
    assert calendar.local_day(banks[HONG_KONG], when) == day_number(dt.date(2026, 11, 10))
    assert calendar.add_banking_days(banks[HONG_KONG], when, 5) == end_of(HONG_KONG, 2026, 11, 17)
    assert banking_deadline(HONG_KONG, when, 5) == end_of(HONG_KONG, 2026, 11, 17)


def test_a_typhoon_closure_moves_the_deadline(ctx, calendar, banks, advising_bank):
    monday = local_time(HONG_KONG, 2026, 11, 9)
    assert calendar.add_banking_days(banks[HONG_KONG], monday, 5) == end_of(HONG_KONG, 2026, 11, 16)
    typhoon = dt.date(2026, 11, 11)  # signal No. 8 on Wednesday: banks close
    receipts = calendar.set_non_banking_days([typhoon], sender=advising_bank)
    event = calendar.contract.decode_logs(receipts[0])[0]
    assert (event.name, event["day"], event["closed"]) == ("NonBankingDaySet", day_number(typhoon), True)
    assert not calendar.is_banking_day(banks[HONG_KONG], typhoon)
    assert calendar.add_banking_days(banks[HONG_KONG], monday, 5) == end_of(HONG_KONG, 2026, 11, 17)
    assert banking_deadline(HONG_KONG.with_closures([typhoon]), monday, 5) == end_of(HONG_KONG, 2026, 11, 17)
    calendar.set_non_banking_days([typhoon], sender=advising_bank, closed=False)
    assert calendar.add_banking_days(banks[HONG_KONG], monday, 5) == end_of(HONG_KONG, 2026, 11, 16)


def test_a_calendar_is_the_banks_own(calendar, banks, advising_bank, issuing_bank):
    day = dt.date(2026, 11, 11)
    calendar.set_non_banking_days([day], sender=advising_bank)
    assert not calendar.is_banking_day(advising_bank.address, day)
    assert calendar.is_banking_day(issuing_bank.address, day)


# ------------------------------------------------------------------------------------------------- agreement


def test_every_synced_day_agrees(calendar, banks, chain):
    years = calendar_years(chain.timestamp())
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    for place, bank in banks.items():
        closed, opened = calendar.marks(bank, day_number(first), day_number(last))
        assert {day_date(d) for d in closed} == set(place.non_banking_weekdays(years))
        assert {day_date(d) for d in opened} == set(place.weekend_banking_days(years))
        on_chain_days = [
            day_date(d)
            for d in range(day_number(first), day_number(last) + 1)
            if (day_date(d).weekday() < 5 and d not in closed) or d in opened
        ]
        assert on_chain_days == banking_days_between(place, first, last)


def _batch_deadlines(calendar, chain, bank: str, queries: list[tuple[int, int]]) -> list[int]:
    """addBankingDays for many (timestamp, n) in one JSON-RPC batch."""
    encode = calendar.contract.encode
    calls = [
        ("eth_call", [{"to": calendar.address, "data": "0x" + encode("addBankingDays", bank, t, n).hex()}, "latest"])
        for t, n in queries
    ]
    return [int(reply["result"], 16) for reply in chain.rpc_batch(calls)]


@pytest.mark.parametrize("place", [HONG_KONG, SHANGHAI], ids=["hong-kong", "shanghai"])
def test_every_day_around_year_ends_and_lunar_new_year_agrees(calendar, banks, chain, place):
    queries = []
    for year in range(2025, 2030):
        lunar_new_year = next(d for d, name in place.holidays([year + 1]).items() if "Chinese New Year" in name)
        windows = [(dt.date(year, 12, 10), 45), (lunar_new_year - dt.timedelta(days=12), 30)]
        for start, length in windows:
            for offset in range(length):
                day = start + dt.timedelta(days=offset)
                queries += [(local_time(place, day.year, day.month, day.day, 9), n) for n in (1, 5)]
    got = _batch_deadlines(calendar, chain, banks[place], queries)
    want = [banking_deadline(place, t, n) for t, n in queries]
    assert got == want


@settings(max_examples=150)
@given(
    when=st.integers(int(dt.datetime(2025, 1, 1, tzinfo=dt.UTC).timestamp()),
                     int(dt.datetime(2030, 11, 30, tzinfo=dt.UTC).timestamp())),
    n=st.integers(0, 20),
    where=st.sampled_from(["hong-kong", "shanghai", "new-york"]),
)  # fmt: skip
def test_any_time_and_count_agrees(calendar, banks, new_york_bank, when, n, where):
    place = NEW_YORK if where == "new-york" else city(where)
    bank = new_york_bank if where == "new-york" else banks[place]
    assert calendar.add_banking_days(bank, when, n) == banking_deadline(place, when, n)


def test_a_bank_west_of_utc(calendar, new_york_bank):
    # 20:00 on Friday 3 July 2026 in New York (UTC-5) is already Saturday in UTC; 4 July is Independence Day
    # (observed Friday 3 July), so Monday 6 July is the first banking day.
    when = int(dt.datetime(2026, 7, 3, 20, tzinfo=dt.timezone(dt.timedelta(hours=-5))).timestamp())
    assert calendar.utc_offset(new_york_bank) == -5 * 3600
    assert calendar.add_banking_days(new_york_bank, when, 1) == end_of(NEW_YORK, 2026, 7, 6)
    assert banking_deadline(NEW_YORK, when, 1) == end_of(NEW_YORK, 2026, 7, 6)


# ------------------------------------------------------------------------------------------------------ sync


def test_sync_is_idempotent_and_reopens_days_no_longer_closed(ctx, calendar, relayer):
    typhoon = dt.date(2027, 7, 14)
    first = sync_calendar(ctx, calendar, relayer, HONG_KONG.with_closures([typhoon]), [2027])
    assert typhoon in first.closed and first.changed
    assert not calendar.is_banking_day(relayer.address, typhoon)
    again = sync_calendar(ctx, calendar, relayer, HONG_KONG.with_closures([typhoon]), [2027])
    assert not again.changed and again.receipts == []
    revised = sync_calendar(ctx, calendar.address, relayer, HONG_KONG, [2027])
    assert revised.reopened == [typhoon] and revised.closed == []
    assert calendar.is_banking_day(relayer.address, typhoon)


def test_sync_of_weekend_working_days_and_offset_change(ctx, calendar, relayer):
    sync_calendar(ctx, calendar, relayer, HONG_KONG, [2026])
    result = sync_calendar(ctx, calendar, relayer, SHANGHAI, [2026])
    assert dt.date(2026, 2, 14) in result.weekend_opened
    assert calendar.is_banking_day(relayer.address, dt.date(2026, 2, 14))
    back = sync_calendar(ctx, calendar, relayer, NEW_YORK, [2026])
    assert dt.date(2026, 2, 14) in back.weekend_closed
    assert calendar.utc_offset(relayer.address) == -5 * 3600
    assert sync_calendar(ctx, calendar, relayer, NEW_YORK, []).receipts == []


# ---------------------------------------------------------------------------------------------------- errors


def test_unregistered_bank(calendar, shipper):
    for view in (
        lambda: calendar.add_banking_days(shipper.address, 1_800_000_000, 1),
        lambda: calendar.add_banking_days_within(shipper.address, 1_800_000_000, 1, 21),
        lambda: calendar.is_banking_day(shipper.address, 20_000),
        lambda: calendar.local_day(shipper.address, 1_800_000_000),
        lambda: calendar.utc_offset(shipper.address),
        lambda: calendar.contract.call("endOfDay", shipper.address, 20_000),
    ):
        with pytest.raises(errors.CalendarNotRegistered) as caught:
            view()
        assert caught.value.bank == shipper.address
    assert not calendar.is_registered(shipper.address)
    with pytest.raises(errors.CalendarNotRegistered):
        calendar.set_non_banking_days([20_000], sender=shipper)
    with pytest.raises(errors.CalendarNotRegistered):
        calendar.set_weekend_banking_days([20_000], sender=shipper)


@pytest.mark.parametrize("offset", [-12 * 3600 - 1, 14 * 3600 + 1])
def test_offset_out_of_range(calendar, shipper, offset):
    with pytest.raises(errors.CalendarOffsetOutOfRange) as caught:
        calendar.set_utc_offset(offset, sender=shipper)
    assert caught.value.offset == offset


def test_only_weekends_are_opened(calendar, advising_bank):
    monday = dt.date(2026, 11, 9)
    with pytest.raises(errors.CalendarNotWeekend) as caught:
        calendar.set_weekend_banking_days([monday], sender=advising_bank)
    assert caught.value.day == day_number(monday)


def test_too_many_banking_days(calendar, banks):
    with pytest.raises(errors.CalendarTooManyDays) as caught:
        calendar.add_banking_days(banks[HONG_KONG], 1_800_000_000, MAX_BANKING_DAYS + 1)
    assert (caught.value.n, caught.value.max) == (MAX_BANKING_DAYS + 1, MAX_BANKING_DAYS)
    with pytest.raises(CalendarError):
        banking_deadline(HONG_KONG, 1_800_000_000, MAX_BANKING_DAYS + 1)
    with pytest.raises(errors.CalendarTooManyDays):
        calendar.add_banking_days_within(banks[HONG_KONG], 1_800_000_000, MAX_BANKING_DAYS + 1, 21)
    with pytest.raises(CalendarError):
        banking_deadline_within(HONG_KONG, 1_800_000_000, MAX_BANKING_DAYS + 1, 21)


def test_no_banking_day_within_reach(calendar, shipper):
    calendar.set_utc_offset(0, sender=shipper)
    start = day_number(dt.date(2027, 1, 1))
    closed = [d for d in range(start + 1, start + MAX_SCAN_DAYS + 2) if day_date(d).weekday() < 5]
    calendar.set_non_banking_days(closed, sender=shipper)
    with pytest.raises(errors.CalendarNoBankingDay) as caught:
        calendar.add_banking_days(shipper.address, start * 86_400, 1)
    assert (caught.value.bank, caught.value.fromDay, caught.value.n) == (shipper.address, start, 1)
    always_closed = BankingCity("Nowhere", "HK", 0, extra_closures=frozenset(day_date(d) for d in closed))
    with pytest.raises(CalendarError):
        banking_deadline(always_closed, start * 86_400, 1)
    # the bounded query answers instead of reverting, however far it is asked to look (the scan stops at the limit)
    for max_days in (21, MAX_SCAN_DAYS, 2**256 - 1):
        assert calendar.add_banking_days_within(shipper.address, start * 86_400, 1, max_days) is None
    assert banking_deadline_within(always_closed, start * 86_400, 1, 10**6) is None


def test_timestamps_out_of_range(calendar, shipper):
    calendar.set_utc_offset(-12 * 3600, sender=shipper)
    for when in (0, 2**255):
        with pytest.raises(errors.CalendarTimestampOutOfRange) as caught:
            calendar.local_day(shipper.address, when)
        assert caught.value.timestamp == when
    with pytest.raises(CalendarError):
        local_day(BankingCity("West", "US", -12 * 3600), 0)


def test_python_input_errors():
    with pytest.raises(CalendarError):
        city("Atlantis")
    with pytest.raises(CalendarError):
        banking_deadline(HONG_KONG, dt.datetime(2026, 11, 9, 10), 1)  # naive: which zone?
    aware = dt.datetime(2026, 11, 9, 10, tzinfo=dt.UTC)
    assert banking_deadline("Hong Kong", aware, 1) == banking_deadline("HK", int(aware.timestamp()), 1)
    assert city("shanghai") is SHANGHAI and city("CN") is SHANGHAI
