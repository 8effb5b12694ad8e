// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IBankingCalendar
/// @notice Banking days of each bank at its place (UCP 600 art. 2: a day on which a bank is regularly open at the
/// place at which an act subject to the rules is to be performed). Each bank registers its city's UTC offset and its
/// non-banking weekdays (holidays, ad hoc closures such as a typhoon signal) and, where local law moves work to a
/// weekend, its weekend banking days. Saturdays and Sundays are computed, not stored.
/// @dev A local day number is `floor((timestamp + utcOffset) / 86400)`: day 0 is 1970-01-01 (a Thursday) at the
/// bank's place. Days are stored as bitmaps, 256 days per storage word.
interface IBankingCalendar {
    // ------------------------------------------------------------------------------------------------- events

    // Events index the ids and parties clients filter by; amounts, dates, numbers and flags stay in the data
    // (indexing them would only cost gas and hide their values from the log data).
    // solhint-disable gas-indexed-events
    /// @notice `bank` registered (or changed) its place's UTC offset, in seconds.
    event CalendarOffsetSet(address indexed bank, int32 utcOffset);
    /// @notice `bank` marked `day` (local day number) as closed (`closed`) or as an ordinary day again.
    event NonBankingDaySet(address indexed bank, uint32 day, bool closed);
    /// @notice `bank` marked weekend `day` as a banking day (`open`) or as an ordinary weekend day again.
    event WeekendBankingDaySet(address indexed bank, uint32 day, bool open);
    // solhint-enable gas-indexed-events

    // ------------------------------------------------------------------------------------------------- errors

    /// @notice `bank` has no calendar: it never called {setUtcOffset}.
    error CalendarNotRegistered(address bank);
    /// @notice `offset` seconds is outside UTC-12:00 .. UTC+14:00.
    error CalendarOffsetOutOfRange(int32 offset);
    /// @notice `day` is not a Saturday or Sunday, so it cannot be marked a weekend banking day.
    error CalendarNotWeekend(uint32 day);
    /// @notice `n` banking days exceed the supported maximum `max`.
    error CalendarTooManyDays(uint256 n, uint256 max);
    /// @notice No `n`-th banking day of `bank` within the scan limit after local day `fromDay`.
    error CalendarNoBankingDay(address bank, uint256 fromDay, uint256 n);
    /// @notice `timestamp` falls before 1970-01-01 at the bank's place.
    error CalendarTimestampOutOfRange(uint256 timestamp);

    // ------------------------------------------------------------------------------------------------- banks

    /// @notice Registers the caller's calendar or changes its UTC offset (seconds east of UTC).
    function setUtcOffset(int32 offset) external;

    /// @notice Marks each of `dayNumbers` (local day numbers) closed or, with `closed` false, an ordinary day again.
    function setNonBankingDays(uint32[] calldata dayNumbers, bool closed) external;

    /// @notice Marks each of `dayNumbers` (Saturdays or Sundays) a banking day or, with `open` false, a weekend again.
    function setWeekendBankingDays(uint32[] calldata dayNumbers, bool open) external;

    // ------------------------------------------------------------------------------------------------- views

    /// @notice Whether `bank` registered a calendar.
    function isRegistered(address bank) external view returns (bool);

    /// @notice The UTC offset of `bank`'s place, in seconds.
    function utcOffset(address bank) external view returns (int32);

    /// @notice The local day number of `timestamp` at `bank`'s place.
    function localDay(address bank, uint256 timestamp) external view returns (uint256);

    /// @notice Whether local day `day` is a banking day of `bank`.
    function isBankingDay(address bank, uint256 day) external view returns (bool);

    /// @notice The last second (unix time) of local day `day` at `bank`'s place.
    function endOfDay(address bank, uint256 day) external view returns (uint256);

    /// @notice The raw marks of `bank`: `count` bitmap words from word `fromWord` (bit `day % 256` of word
    /// `day / 256`), closed weekdays and open weekend days. Lets a client diff and sync a calendar cheaply.
    /// @return closed The words of closed weekdays.
    /// @return open The words of open weekend days.
    function bitmaps(
        address bank,
        uint256 fromWord,
        uint256 count
    ) external view returns (uint256[] memory closed, uint256[] memory open);

    /// @notice The end (last second, unix time) of the `n`-th banking day of `bank` following the local day of
    /// `timestamp`; with `n` zero, the end of that day itself.
    /// @return deadline That last second, unix time.
    function addBankingDays(address bank, uint256 timestamp, uint256 n) external view returns (uint256 deadline);

    /// @notice {addBankingDays} that looks no further than `maxDays` calendar days (at most MAX_SCAN_DAYS) after the
    /// local day of `timestamp` and never reverts for want of banking days: for a deadline a bank's own calendar
    /// must not stretch or block. Reverts as {addBankingDays} for an unregistered bank, a bad timestamp or too many
    /// banking days.
    /// @return found Whether the `n`-th banking day is one of those `maxDays` days.
    /// @return deadline If found, the end (last second, unix time) of that day, the same as {addBankingDays}; else 0.
    function addBankingDaysWithin(
        address bank,
        uint256 timestamp,
        uint256 n,
        uint256 maxDays
    ) external view returns (bool found, uint256 deadline);
}
