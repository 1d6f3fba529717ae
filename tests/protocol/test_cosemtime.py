"""COSEM date/time values: wire vectors, unspecified fields, the deviation sign."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.axdr import (
    DAY_LAST,
    MONTH_DST_BEGIN,
    ClockStatus,
    CosemDate,
    CosemDateTime,
    CosemTime,
    IncompleteDateTime,
)
from workbench.protocol.errors import DecodeError

PARIS_WINTER = dt.timezone(dt.timedelta(hours=1))


def test_full_datetime_vector() -> None:
    # 2024-01-01 (a Monday) 00:15:00.00, deviation -60 (UTC+01:00), status 0
    raw = bytes.fromhex("07E8 0101 01 000F0000 FFC4 00")
    value = CosemDateTime.decode(raw)
    assert value == CosemDateTime(2024, 1, 1, 0, 15, 0, 0, 1, -60, ClockStatus(0))
    assert value.encode() == raw
    assert value.to_datetime() == dt.datetime(2024, 1, 1, 0, 15, tzinfo=PARIS_WINTER)
    assert str(value) == "2024-01-01 00:15:00 UTC+01:00"


def test_unspecified_fields_are_none() -> None:
    raw = bytes.fromhex("FFFF FFFF FF 00 00 00 FF 8000 FF")  # every day at 00:00:00
    value = CosemDateTime.decode(raw)
    assert (value.year, value.month, value.day, value.weekday) == (None,) * 4
    assert (value.hour, value.minute, value.second) == (0, 0, 0)
    assert value.hundredths is None and value.deviation is None and value.status is None
    assert value.encode() == raw
    assert str(value) == "****-**-** 00:00:00"
    with pytest.raises(IncompleteDateTime, match="unspecified year, month, day"):
        value.to_datetime()


def test_special_month_and_day_values() -> None:
    value = CosemDateTime(month=MONTH_DST_BEGIN, day=DAY_LAST, weekday=7, hour=2, minute=0,
                          second=0)
    assert CosemDateTime.decode(value.encode()) == value
    assert str(value) == "****-dst-begin-last Sun 02:00:00"
    with pytest.raises(IncompleteDateTime):
        CosemDateTime(2024, MONTH_DST_BEGIN, 1, 2, 0, 0).to_datetime()


def test_deviation_sign_follows_the_standard() -> None:
    # Blue Book: deviation is minutes from local time to UTC, so UTC+01:00 is sent as -60.
    aware = dt.datetime(2024, 1, 1, 12, 0, tzinfo=PARIS_WINTER)
    value = CosemDateTime.from_datetime(aware)
    assert value.deviation == -60
    assert value.encode()[9:11] == b"\xff\xc4"
    assert value.to_datetime() == aware
    assert value.to_datetime().astimezone(dt.UTC).hour == 11


def test_inverted_deviation_for_companion_standards() -> None:
    aware = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(minutes=330)))
    value = CosemDateTime.from_datetime(aware, inverted_deviation=True)
    assert value.deviation == 330
    assert value.to_datetime(inverted_deviation=True) == aware
    assert value.to_datetime() != aware  # read with the standard sign, it is another instant


def test_naive_datetime_has_unspecified_deviation() -> None:
    value = CosemDateTime.from_datetime(dt.datetime(2024, 2, 29, 23, 59, 58, 990000))
    assert value.deviation is None and value.weekday == 4 and value.hundredths == 99
    assert value.to_datetime() == dt.datetime(2024, 2, 29, 23, 59, 58, 990000)


def test_dst_status_and_str() -> None:
    value = CosemDateTime(2024, 7, 1, 12, 0, 0, 50, 1, -120,
                          ClockStatus.DAYLIGHT_SAVING_ACTIVE | ClockStatus.DOUBTFUL)
    assert value.encode()[-1] == 0x82
    assert str(value) == "2024-07-01 12:00:00.50 UTC+02:00 [doubtful,daylight_saving_active]"


def test_date_and_time_forms() -> None:
    assert CosemDate.decode(bytes.fromhex("07E80C1902")) == CosemDate(2024, 12, 25, 2)
    assert CosemDate(None, 12, 25).encode() == bytes.fromhex("FFFF0C19FF")
    assert CosemTime.decode(bytes.fromhex("17 3B 3B FF")) == CosemTime(23, 59, 59)
    assert str(CosemTime(6, 30, None)) == "06:30:**"
    stamp = CosemDateTime(2024, 12, 25, 6, 30, 0, 0, 3)
    assert stamp.date == CosemDate(2024, 12, 25, 3) and stamp.time == CosemTime(6, 30, 0, 0)


@pytest.mark.parametrize("raw, field", [
    ("07E8 0D01 FF 000000FF 8000 00", "month"),
    ("07E8 0101 08 000000FF 8000 00", "weekday"),
    ("07E8 0101 FF 180000FF 8000 00", "hour"),
    ("07E8 0101 FF 00003CFF 8000 00", "second"),
    ("07E8 0101 FF 00000064 8000 00", "hundredths"),
    ("07E8 0101 FF 000000FF 7FFF 00", "deviation"),
    ("07E8 0101 FF 000000FF 8000 FF00", "exactly 12 bytes"),
])
def test_bad_bytes_raise_decode_error(raw: str, field: str) -> None:
    with pytest.raises(DecodeError, match=field):
        CosemDateTime.decode(bytes.fromhex(raw))


def test_constructor_rejects_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"minute must be 0\.\.59"):
        CosemTime(12, 60)
    with pytest.raises(ValueError, match="status"):
        CosemDateTime(status=0xFF)


def _opt(strategy: st.SearchStrategy[int]) -> st.SearchStrategy[int | None]:
    return st.none() | strategy


datetimes = st.builds(
    CosemDateTime,
    _opt(st.integers(0, 0xFFFE)), _opt(st.integers(1, 12) | st.sampled_from([0xFD, 0xFE])),
    _opt(st.integers(1, 31) | st.sampled_from([0xFD, 0xFE])), _opt(st.integers(0, 23)),
    _opt(st.integers(0, 59)), _opt(st.integers(0, 59)), _opt(st.integers(0, 99)),
    _opt(st.integers(1, 7)), _opt(st.integers(-840, 840)),
    _opt(st.integers(0, 0xFE).map(ClockStatus)),
)


@given(datetimes)
def test_datetime_round_trip(value: CosemDateTime) -> None:
    raw = value.encode()
    assert len(raw) == 12
    assert CosemDateTime.decode(raw) == value
    assert str(value)  # every value, special or not, has a text form


@given(st.binary(min_size=12, max_size=12))
def test_any_12_bytes_decode_or_raise_decode_error(raw: bytes) -> None:
    try:
        value = CosemDateTime.decode(raw)
    except DecodeError:
        return
    assert value.encode() == raw


@given(st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.sampled_from([dt.UTC, PARIS_WINTER,
                                               dt.timezone(dt.timedelta(hours=-5))])))
def test_from_datetime_round_trip(value: dt.datetime) -> None:
    value = value.replace(microsecond=value.microsecond // 10_000 * 10_000)
    assert CosemDateTime.from_datetime(value).to_datetime() == value
