"""Banking days by city: computed here with the ``holidays`` package, stored on chain by ``BankingCalendar``.

A banking day (UCP 600 art. 2) at a bank's place is a weekday that is not a holiday there, or a weekend day that local
law made a working day (mainland China moves working days to weekends around its long holidays). Days are numbered
as on chain: ``floor((unix time + UTC offset) / 86400)``, day 0 being 1970-01-01 (a Thursday) at the bank's place.
:func:`banking_deadline` is the Python twin of ``BankingCalendar.addBankingDays`` (:func:`banking_deadline_within` of
``addBankingDaysWithin``, which looks only so many days ahead); :func:`sync_calendar` uploads a city's holidays so that
both agree.

Calendars: Hong Kong uses the general holidays (bank holidays) of ``holidays.HK`` (categories public and optional,
which on weekdays equal the HKEX calendar); Shanghai uses ``holidays.CN`` public holidays and its weekend working
days. Years the government has not announced yet are the package's estimate: run :func:`sync_calendar` again once
they are. Closures nobody can foresee (typhoon signal No. 8, black rainstorm) are added as ``extra_closures``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import holidays
from eth_account.signers.local import LocalAccount

from tradefin.errors import TradefinError
from tradefin.transactions.contract import Contract
from tradefin.transactions.sender import Receipt

if TYPE_CHECKING:
    from tradefin.context import Context

log = logging.getLogger("tradefin.calendars")

CONTRACT = "BankingCalendar"
DAY = 86_400
EPOCH = dt.date(1970, 1, 1)
MAX_BANKING_DAYS = 60
"""The most banking days ``addBankingDays`` counts (``BankingCalendar.MAX_BANKING_DAYS``)."""
MAX_SCAN_DAYS = 400
"""The most calendar days ``addBankingDays`` scans (``BankingCalendar.MAX_SCAN_DAYS``)."""
MIN_OFFSET = -12 * 3600
MAX_OFFSET = 14 * 3600
UPLOAD_CHUNK = 120
"""Days per calendar transaction."""


class CalendarError(TradefinError):
    """A banking-day computation is impossible (unknown city, too many days, no banking day in reach)."""


@dataclass(frozen=True)
class BankingCity:
    """A place where banks act, with its fixed UTC offset and its holiday calendar."""

    name: str
    """Display name, e.g. "Hong Kong"."""
    country: str
    """ISO 3166 code of the ``holidays`` country calendar."""
    utc_offset: int
    """Seconds east of UTC (fixed: the on-chain calendar has no daylight saving time)."""
    categories: tuple[str, ...] = ("public",)
    """``holidays`` categories that close banks."""
    extra_closures: frozenset[dt.date] = field(default_factory=frozenset)
    """Further non-banking days (ad hoc closures such as a typhoon signal)."""

    def holidays(self, years: Iterable[int] | None = None) -> holidays.HolidayBase:
        """The country calendar of this city (lazily expanded to any year looked up)."""
        return _country_calendar(self.country, self.categories, tuple(sorted(set(years or ()))))

    def with_closures(self, days: Iterable[dt.date]) -> BankingCity:
        """The same city with ``days`` closed as well."""
        return BankingCity(
            self.name, self.country, self.utc_offset, self.categories, self.extra_closures | frozenset(days)
        )

    def is_banking_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return day in self.weekend_banking_days([day.year])
        return day not in self.extra_closures and day not in self.holidays([day.year])

    def non_banking_weekdays(self, years: Iterable[int]) -> list[dt.date]:
        """Weekdays of ``years`` on which banks are closed (weekends are computed on chain)."""
        wanted = set(years)
        found = {d for d in self.holidays(wanted) if d.year in wanted and d.weekday() < 5}
        found |= {d for d in self.extra_closures if d.year in wanted and d.weekday() < 5}
        return sorted(found)

    def weekend_banking_days(self, years: Iterable[int]) -> list[dt.date]:
        """Saturdays and Sundays of ``years`` that are working days (empty where the law has none)."""
        wanted = set(years)
        calendar = self.holidays(wanted)
        workdays: Iterable[dt.date] = getattr(calendar, "weekend_workdays", ())
        return sorted(d for d in workdays if d.year in wanted and d.weekday() >= 5 and d not in self.extra_closures)


@cache
def _country_calendar(country: str, categories: tuple[str, ...], years: tuple[int, ...]) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=list(years) or None, categories=categories)


HONG_KONG = BankingCity("Hong Kong", "HK", 8 * 3600, ("public", "optional"))
SHANGHAI = BankingCity("Shanghai", "CN", 8 * 3600, ("public",))
CITIES: dict[str, BankingCity] = {"hong-kong": HONG_KONG, "shanghai": SHANGHAI}
"""Cities by key; :func:`city` also accepts their names ("Hong Kong") and ISO codes ("HK", "CN")."""


def city(key: BankingCity | str) -> BankingCity:
    """A city by key, name or country code."""
    if isinstance(key, BankingCity):
        return key
    wanted = key.strip().lower().replace(" ", "-").replace("_", "-")
    for known_key, known in CITIES.items():
        if wanted in (known_key, known.name.lower().replace(" ", "-"), known.country.lower()):
            return known
    raise CalendarError(f"unknown banking city {key!r}; known: {', '.join(CITIES)}")


# -- day arithmetic (mirrors BankingCalendar.sol) -------------------------------------------------------------------


def day_number(day: dt.date) -> int:
    """The local day number of a calendar date (1970-01-01 is 0)."""
    return (day - EPOCH).days


def day_date(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=number)


def timestamp(when: int | dt.datetime) -> int:
    """Unix seconds of ``when`` (an aware datetime, or seconds already)."""
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            raise CalendarError(f"{when} has no time zone: give an aware datetime or unix seconds")
        return int(when.timestamp())
    return int(when)


def local_day(place: BankingCity | str, when: int | dt.datetime) -> int:
    """The local day number of ``when`` at ``place``."""
    seconds = timestamp(when) + city(place).utc_offset
    if seconds < 0:
        raise CalendarError(f"{when} is before 1970-01-01 at {city(place).name}")
    return seconds // DAY


def end_of_day(place: BankingCity | str, number: int) -> int:
    """The last second (unix time) of local day ``number`` at ``place``."""
    return (number + 1) * DAY - city(place).utc_offset - 1


def banking_deadline(place: BankingCity | str, when: int | dt.datetime, n: int) -> int:
    """The end (last second, unix time) of the ``n``-th banking day at ``place`` following the day of ``when``.

    ``n == 0`` gives the end of that day itself. Same result as ``BankingCalendar.addBankingDays`` for a bank whose
    calendar was synced for the years involved.
    """
    where = city(place)
    deadline = banking_deadline_within(where, when, n, MAX_SCAN_DAYS)
    if deadline is None:
        raise CalendarError(f"no {n}th banking day in {where.name} within {MAX_SCAN_DAYS} days")
    return deadline


def banking_deadline_within(place: BankingCity | str, when: int | dt.datetime, n: int, max_days: int) -> int | None:
    """:func:`banking_deadline` if that day is at most ``max_days`` (at most :data:`MAX_SCAN_DAYS`) days after the
    day of ``when``, else None. Same result as ``BankingCalendar.addBankingDaysWithin``."""
    where = city(place)
    if n > MAX_BANKING_DAYS:
        raise CalendarError(f"{n} banking days exceed the maximum {MAX_BANKING_DAYS}")
    max_days = min(max_days, MAX_SCAN_DAYS)
    start = local_day(where, when)
    number, found = start, 0
    while found < n:
        number += 1
        if number - start > max_days:
            return None
        if where.is_banking_day(day_date(number)):
            found += 1
    return end_of_day(where, number)


def banking_days_between(place: BankingCity | str, first: dt.date, last: dt.date) -> list[dt.date]:
    """The banking days at ``place`` from ``first`` to ``last`` inclusive."""
    where = city(place)
    span = (last - first).days
    return [d for d in (first + dt.timedelta(days=i) for i in range(span + 1)) if where.is_banking_day(d)]


# -- the contract ---------------------------------------------------------------------------------------------------


class BankingCalendar:
    """Client of ``contracts/finance/BankingCalendar.sol``: each bank writes its own calendar."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    @classmethod
    def deploy(cls, ctx: Context, account: LocalAccount, *, deployment_name: str = CONTRACT) -> BankingCalendar:
        return cls(ctx.deployments.deploy(account, CONTRACT, name=deployment_name))

    @classmethod
    def at(cls, ctx: Context, address: str) -> BankingCalendar:
        return cls(Contract(ctx.transactor, address, ctx.build[CONTRACT].abi, CONTRACT))

    def set_utc_offset(self, offset: int, *, sender: LocalAccount) -> Receipt:
        return self.contract.transact(sender, "setUtcOffset", offset)

    def set_non_banking_days(
        self, days: Sequence[dt.date | int], *, sender: LocalAccount, closed: bool = True
    ) -> list[Receipt]:
        """Close (or reopen) ``days`` for the sender, e.g. a typhoon day."""
        return self._upload("setNonBankingDays", [_number(d) for d in days], closed, sender)

    def set_weekend_banking_days(
        self, days: Sequence[dt.date | int], *, sender: LocalAccount, open_: bool = True
    ) -> list[Receipt]:
        return self._upload("setWeekendBankingDays", [_number(d) for d in days], open_, sender)

    def _upload(self, fn: str, numbers: list[int], flag: bool, sender: LocalAccount) -> list[Receipt]:
        pending = [
            self.contract.send(sender, fn, numbers[i : i + UPLOAD_CHUNK], flag)
            for i in range(0, len(numbers), UPLOAD_CHUNK)
        ]
        return self.contract.transactor.wait_all(pending) if pending else []

    def is_registered(self, bank: str) -> bool:
        return bool(self.contract.call("isRegistered", bank))

    def utc_offset(self, bank: str) -> int:
        return int(self.contract.call("utcOffset", bank))

    def local_day(self, bank: str, when: int | dt.datetime) -> int:
        return int(self.contract.call("localDay", bank, timestamp(when)))

    def is_banking_day(self, bank: str, day: dt.date | int) -> bool:
        return bool(self.contract.call("isBankingDay", bank, _number(day)))

    def add_banking_days(self, bank: str, when: int | dt.datetime, n: int) -> int:
        return int(self.contract.call("addBankingDays", bank, timestamp(when), n))

    def add_banking_days_within(self, bank: str, when: int | dt.datetime, n: int, max_days: int) -> int | None:
        """``addBankingDaysWithin``: the deadline, or None if the ``n``-th banking day is beyond ``max_days``."""
        found, deadline = self.contract.call("addBankingDaysWithin", bank, timestamp(when), n, max_days)
        return int(deadline) if found else None

    def marks(self, bank: str, first: int, last: int) -> tuple[set[int], set[int]]:
        """The closed weekdays and open weekend days ``bank`` marked between day numbers ``first`` and ``last``."""
        first_word, last_word = first >> 8, last >> 8
        closed_words, open_words = self.contract.call("bitmaps", bank, first_word, last_word - first_word + 1)
        return _bits(closed_words, first_word, first, last), _bits(open_words, first_word, first, last)


def _number(day: dt.date | int) -> int:
    return day_number(day) if isinstance(day, dt.date) else int(day)


def _bits(words: Sequence[int], first_word: int, first: int, last: int) -> set[int]:
    found = set()
    for index, word in enumerate(words):
        base = (first_word + index) << 8
        for bit in range(256):
            if word >> bit & 1 and first <= base + bit <= last:
                found.add(base + bit)
    return found


@dataclass(frozen=True)
class SyncResult:
    """What :func:`sync_calendar` changed."""

    closed: list[dt.date]
    reopened: list[dt.date]
    weekend_opened: list[dt.date]
    weekend_closed: list[dt.date]
    receipts: list[Receipt]

    @property
    def changed(self) -> bool:
        return bool(self.closed or self.reopened or self.weekend_opened or self.weekend_closed)


def sync_calendar(
    ctx: Context,
    calendar_contract: BankingCalendar | Contract | str,
    bank_account: LocalAccount,
    place: BankingCity | str,
    years: Iterable[int],
) -> SyncResult:
    """Make ``bank_account``'s on-chain calendar equal ``place``'s banking days for ``years``.

    Registers the city's UTC offset if needed, then uploads only the differences (a revised holiday schedule reopens
    days it no longer closes), so running it twice changes nothing the second time.
    """
    calendar = _client(ctx, calendar_contract)
    where = city(place)
    wanted_years = sorted(set(years))
    if not wanted_years:
        return SyncResult([], [], [], [], [])
    bank = bank_account.address
    receipts: list[Receipt] = []
    if not calendar.is_registered(bank) or calendar.utc_offset(bank) != where.utc_offset:
        receipts.append(calendar.set_utc_offset(where.utc_offset, sender=bank_account))
    first = day_number(dt.date(wanted_years[0], 1, 1))
    last = day_number(dt.date(wanted_years[-1], 12, 31))
    in_years = set(wanted_years)
    want_closed = {day_number(d) for d in where.non_banking_weekdays(wanted_years)}
    want_open = {day_number(d) for d in where.weekend_banking_days(wanted_years)}
    have_closed, have_open = calendar.marks(bank, first, last)
    have_closed = {d for d in have_closed if day_date(d).year in in_years}
    have_open = {d for d in have_open if day_date(d).year in in_years}
    to_close, to_reopen = sorted(want_closed - have_closed), sorted(have_closed - want_closed)
    to_open, to_unopen = sorted(want_open - have_open), sorted(have_open - want_open)
    receipts += calendar.set_non_banking_days(to_close, sender=bank_account, closed=True)
    receipts += calendar.set_non_banking_days(to_reopen, sender=bank_account, closed=False)
    receipts += calendar.set_weekend_banking_days(to_open, sender=bank_account, open_=True)
    receipts += calendar.set_weekend_banking_days(to_unopen, sender=bank_account, open_=False)
    log.info(
        "synced %s calendar of %s for %s: %d closed, %d reopened, %d weekend days opened, %d closed again",
        where.name,
        bank,
        ", ".join(map(str, wanted_years)),
        len(to_close),
        len(to_reopen),
        len(to_open),
        len(to_unopen),
    )
    return SyncResult(
        closed=[day_date(d) for d in to_close],
        reopened=[day_date(d) for d in to_reopen],
        weekend_opened=[day_date(d) for d in to_open],
        weekend_closed=[day_date(d) for d in to_unopen],
        receipts=receipts,
    )


def _client(ctx: Context, calendar: BankingCalendar | Contract | str) -> BankingCalendar:
    if isinstance(calendar, BankingCalendar):
        return calendar
    if isinstance(calendar, Contract):
        return BankingCalendar(calendar)
    return BankingCalendar.at(ctx, calendar)
