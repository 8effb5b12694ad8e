"""Constants and helpers shared by the credit tests (a unique module name: test folders share sys.path)."""

import datetime as dt

from eth_utils import keccak

from tradefin.finance.credit import COMMERCIAL_INVOICE, PACKING_LIST

DAY = 86_400
START = 1_000_000_00
"""Deposit tokens minted to each payer: HKD 1,000,000.00."""
AMOUNT = 100_000_00
"""A credit of HKD 100,000.00."""
DOCUMENTS = {COMMERCIAL_INVOICE: keccak(text="invoice"), PACKING_LIST: keccak(text="packing list")}


def calendar_years(now: int) -> list[int]:
    """The years whose holidays are synced: the fixed scenarios (2025-2030) and three years from now."""
    this_year = dt.datetime.fromtimestamp(now, dt.UTC).year
    return list(range(2025, max(2030, this_year + 3) + 1))


def move_to(chain, when: int) -> None:
    """Mine the next block at ``when`` (unix seconds)."""
    chain.set_next_block_timestamp(when)
    chain.mine()


def local_time(city, year: int, month: int, day: int, hour: int = 10) -> int:
    """Unix seconds of a local wall-clock time in ``city``."""
    zone = dt.timezone(dt.timedelta(seconds=city.utc_offset))
    return int(dt.datetime(year, month, day, hour, tzinfo=zone).timestamp())
