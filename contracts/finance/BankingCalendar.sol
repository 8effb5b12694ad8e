// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IBankingCalendar} from "../interfaces/IBankingCalendar.sol";

/// @title BankingCalendar
/// @notice Each bank's banking days at its place, for deadlines counted in banking days (UCP 600 art. 14b, 16d).
/// @dev Invariants:
///  - only a bank writes its own calendar (every setter acts for msg.sender);
///  - a day is a banking day iff it is a weekday not marked closed, or a weekend day marked open;
///  - a weekend day is marked open only if it is a Saturday or Sunday;
///  - {addBankingDays} and {addBankingDaysWithin} depend only on the caller-visible calendar: the same inputs give
///    the same deadline, and both scan a bounded number of days (at most MAX_SCAN_DAYS);
///  - {addBankingDaysWithin} finds a deadline iff {addBankingDays} returns one at most `maxDays` days after the
///    local day of `timestamp`, and then the same one.
contract BankingCalendar is IBankingCalendar {
    /// @notice The most banking days {addBankingDays} counts.
    uint256 public constant MAX_BANKING_DAYS = 60;
    /// @notice The most calendar days {addBankingDays} and {addBankingDaysWithin} scan for banking days.
    uint256 public constant MAX_SCAN_DAYS = 400;
    /// @notice Westernmost UTC offset (UTC-12:00), seconds.
    int32 public constant MIN_OFFSET = -12 hours;
    /// @notice Easternmost UTC offset (UTC+14:00), seconds.
    int32 public constant MAX_OFFSET = 14 hours;

    uint256 private constant _DAY = 1 days;

    /// @dev A registered calendar: offset + 1 day, so that zero means "not registered".
    mapping(address bank => int64 shiftedOffset) private _offsets;
    /// @dev Closed weekdays (a mark on a weekend day has no effect), 256 local days per word: bit `day % 256` of word `day / 256`.
    mapping(address bank => mapping(uint256 word => uint256 bits)) private _closed;
    /// @dev Weekend days that are banking days, same layout.
    mapping(address bank => mapping(uint256 word => uint256 bits)) private _open;

    // ---------------------------------------------------------------------------------------------------- banks

    /// @inheritdoc IBankingCalendar
    function setUtcOffset(int32 offset) external {
        if (offset < MIN_OFFSET || offset > MAX_OFFSET) revert CalendarOffsetOutOfRange(offset);
        _offsets[msg.sender] = int64(offset) + int64(int256(_DAY));
        emit CalendarOffsetSet(msg.sender, offset);
    }

    /// @inheritdoc IBankingCalendar
    function setNonBankingDays(uint32[] calldata dayNumbers, bool closed) external {
        _requireRegistered(msg.sender);
        mapping(uint256 word => uint256 bits) storage bitmap = _closed[msg.sender];
        for (uint256 i = 0; i < dayNumbers.length; ++i) {
            _setBit(bitmap, dayNumbers[i], closed);
            emit NonBankingDaySet(msg.sender, dayNumbers[i], closed);
        }
    }

    /// @inheritdoc IBankingCalendar
    function setWeekendBankingDays(uint32[] calldata dayNumbers, bool open) external {
        _requireRegistered(msg.sender);
        mapping(uint256 word => uint256 bits) storage bitmap = _open[msg.sender];
        for (uint256 i = 0; i < dayNumbers.length; ++i) {
            if (!_isWeekend(dayNumbers[i])) revert CalendarNotWeekend(dayNumbers[i]);
            _setBit(bitmap, dayNumbers[i], open);
            emit WeekendBankingDaySet(msg.sender, dayNumbers[i], open);
        }
    }

    // ---------------------------------------------------------------------------------------------------- views

    /// @inheritdoc IBankingCalendar
    function isRegistered(address bank) external view returns (bool) {
        return _offsets[bank] != 0;
    }

    /// @inheritdoc IBankingCalendar
    function utcOffset(address bank) external view returns (int32) {
        return _offsetOf(bank);
    }

    /// @inheritdoc IBankingCalendar
    function localDay(address bank, uint256 timestamp) external view returns (uint256) {
        return _localDay(timestamp, _offsetOf(bank));
    }

    /// @inheritdoc IBankingCalendar
    function isBankingDay(address bank, uint256 day) external view returns (bool) {
        _requireRegistered(bank);
        return _isBankingDay(bank, day);
    }

    /// @inheritdoc IBankingCalendar
    function endOfDay(address bank, uint256 day) external view returns (uint256) {
        return _endOfDay(day, _offsetOf(bank));
    }

    /// @inheritdoc IBankingCalendar
    function bitmaps(
        address bank,
        uint256 fromWord,
        uint256 count
    ) external view returns (uint256[] memory closed, uint256[] memory open) {
        closed = new uint256[](count);
        open = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            closed[i] = _closed[bank][fromWord + i];
            open[i] = _open[bank][fromWord + i];
        }
    }

    /// @inheritdoc IBankingCalendar
    function addBankingDays(address bank, uint256 timestamp, uint256 n) external view returns (uint256 deadline) {
        if (n > MAX_BANKING_DAYS) revert CalendarTooManyDays(n, MAX_BANKING_DAYS);
        int32 offset = _offsetOf(bank);
        uint256 start = _localDay(timestamp, offset);
        (bool found, uint256 day) = _nthBankingDay(bank, start, n, MAX_SCAN_DAYS);
        if (!found) revert CalendarNoBankingDay(bank, start, n);
        return _endOfDay(day, offset);
    }

    /// @inheritdoc IBankingCalendar
    function addBankingDaysWithin(
        address bank,
        uint256 timestamp,
        uint256 n,
        uint256 maxDays
    ) external view returns (bool found, uint256 deadline) {
        if (n > MAX_BANKING_DAYS) revert CalendarTooManyDays(n, MAX_BANKING_DAYS);
        int32 offset = _offsetOf(bank);
        uint256 day;
        (found, day) = _nthBankingDay(
            bank,
            _localDay(timestamp, offset),
            n,
            maxDays < MAX_SCAN_DAYS ? maxDays : MAX_SCAN_DAYS
        );
        if (found) deadline = _endOfDay(day, offset);
    }

    // -------------------------------------------------------------------------------------------------- private

    function _requireRegistered(address bank) private view {
        if (_offsets[bank] == 0) revert CalendarNotRegistered(bank);
    }

    function _offsetOf(address bank) private view returns (int32) {
        int64 shifted = _offsets[bank];
        if (shifted == 0) revert CalendarNotRegistered(bank);
        return int32(shifted - int64(int256(_DAY)));
    }

    /// @dev The `n`-th banking day of `bank` after local day `start`, if it is at most `maxDays` (at most
    /// MAX_SCAN_DAYS) days after it: whether it is, and that day.
    function _nthBankingDay(
        address bank,
        uint256 start,
        uint256 n,
        uint256 maxDays
    ) private view returns (bool found, uint256 day) {
        day = start;
        uint256 count = 0;
        while (count < n) {
            // unchecked: `day - start` is at most maxDays + 1, at most MAX_SCAN_DAYS + 1, and `start` is a day
            // number of a uint256 timestamp divided by 86400, so `day + 1` cannot overflow.
            unchecked {
                ++day;
            }
            if (day - start > maxDays) return (false, day);
            if (_isBankingDay(bank, day)) ++count;
        }
        return (true, day);
    }

    function _isBankingDay(address bank, uint256 day) private view returns (bool) {
        if (_isWeekend(day)) return _bit(_open[bank], day);
        return !_bit(_closed[bank], day);
    }

    /// @dev Day 0 (1970-01-01) was a Thursday: weekday `(day + 3) % 7` counts from Monday = 0, so 5 and 6 are
    /// Saturday and Sunday.
    function _isWeekend(uint256 day) private pure returns (bool) {
        // Inclusive bound on purpose: that is the rule's meaning (gas-strict-inequalities disabled on this line).
        return (day + 3) % 7 >= 5; // solhint-disable-line gas-strict-inequalities
    }

    function _localDay(uint256 timestamp, int32 offset) private pure returns (uint256) {
        if (timestamp > uint256(type(int256).max) - _DAY) revert CalendarTimestampOutOfRange(timestamp);
        int256 local = int256(timestamp) + offset;
        if (local < 0) revert CalendarTimestampOutOfRange(timestamp);
        return uint256(local) / _DAY;
    }

    function _endOfDay(uint256 day, int32 offset) private pure returns (uint256) {
        // The local day ends at (day + 1) * 86400 local seconds; one second before that, in unix time.
        return uint256(int256((day + 1) * _DAY) - offset) - 1;
    }

    function _bit(mapping(uint256 word => uint256 bits) storage bitmap, uint256 day) private view returns (bool) {
        return (bitmap[day >> 8] >> (day & 0xff)) & 1 == 1;
    }

    function _setBit(mapping(uint256 word => uint256 bits) storage bitmap, uint256 day, bool value) private {
        uint256 mask = uint256(1) << (day & 0xff);
        bitmap[day >> 8] = value ? bitmap[day >> 8] | mask : bitmap[day >> 8] & ~mask;
    }
}
