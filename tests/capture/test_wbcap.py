"""The .wbcap text format: round trip, masking, flushing, and bad lines named by number."""

from __future__ import annotations

import pytest

from tests.capture.samples import PASSWORD, aarq_frame, assert_same_records, session_records
from workbench.capture import (
    CaptureError,
    CaptureFormatError,
    CaptureHeader,
    WbcapWriter,
    load_capture,
    read_wbcap,
    save_capture,
)
from workbench.protocol.hdlc import decode_frame
from workbench.session.settings import ConnectionSettings

HEADER = CaptureHeader(created=1_764_064_800.5, meta={"host": "10.1.2.3", "physical": 1234})


def test_round_trip_keeps_every_field(tmp_path):
    records = session_records()
    path = tmp_path / "s.wbcap"
    assert save_capture(path, records, HEADER, keep_secrets=True) == 5
    capture = read_wbcap(path)
    assert capture.header == HEADER
    assert_same_records(capture.records, records)


def test_file_is_one_line_per_frame_after_the_header(tmp_path):
    path = tmp_path / "s.wbcap"
    save_capture(path, session_records(), HEADER)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("#wbcap 1 {")
    assert len(lines) == 6
    assert lines[1].split(" ")[1:3] == ["tx", session_records()[0].raw.hex().upper()]
    assert lines[4].endswith(" retry 1\\nafter timeout")


def test_password_masked_by_default_and_frame_still_decodes(tmp_path):
    path = tmp_path / "s.wbcap"
    save_capture(path, session_records(), HEADER)
    text = path.read_text()
    assert PASSWORD.hex().upper() not in text
    masked = read_wbcap(path).records[2].raw
    assert b"*" * len(PASSWORD) in masked
    decode_frame(masked)  # HCS and FCS were recomputed: no ChecksumError
    assert len(masked) == len(aarq_frame())


def test_keep_secrets_writes_the_password(tmp_path):
    path = tmp_path / "s.wbcap"
    save_capture(path, session_records(), HEADER, keep_secrets=True)
    assert read_wbcap(path).records[2].raw == aarq_frame()


def test_each_frame_is_on_disk_as_soon_as_written(tmp_path):
    path = tmp_path / "live.wbcap"
    writer = WbcapWriter(path, HEADER)
    for i, record in enumerate(session_records(), start=1):
        writer(record)  # a writer is a tracer observer
        assert len(read_wbcap(path).records) == i  # read by another handle, writer still open
    writer.close()
    writer.close()


def test_existing_capture_is_continued_not_rewritten(tmp_path):
    path = tmp_path / "live.wbcap"
    records = session_records()
    with WbcapWriter(path, HEADER) as writer:
        writer.write(records[0])
    with WbcapWriter(path, HEADER) as writer:
        writer.write(records[1])
    assert path.read_text().count("#wbcap") == 1
    assert len(read_wbcap(path).records) == 2


@pytest.mark.parametrize(("line", "message"), [
    ("2026-11-25T10:00:00.000000Z up 7EA0077E", "direction must be 'tx' or 'rx', got 'up'"),
    ("2026-11-25T10:00:00.000000Z tx 7EZZ", "frame bytes are not hex"),
    ("yesterday tx 7E7E", "time must be ISO 8601"),
    ("2026-11-25T10:00:00.000000Z", "expected 'time direction hex [note]'"),
])
def test_bad_line_is_reported_with_its_number(tmp_path, line, message):
    path = tmp_path / "bad.wbcap"
    save_capture(path, session_records()[:2], HEADER)
    with path.open("a") as f:
        f.write(line + "\n")
    with pytest.raises(CaptureFormatError) as info:
        read_wbcap(path)
    assert info.value.line == 4
    assert message in str(info.value)
    assert "line 4" in str(info.value)


def test_lenient_reading_skips_a_torn_last_line(tmp_path):
    path = tmp_path / "torn.wbcap"
    save_capture(path, session_records(), HEADER)
    with path.open("a") as f:
        f.write("2026-11-25T10:00:0")  # the app died mid-write
    capture = load_capture(path)
    assert len(capture.records) == 5
    assert [p.line for p in capture.problems] == [7]


def test_header_errors(tmp_path):
    path = tmp_path / "x.wbcap"
    path.write_text("hello\n")
    with pytest.raises(CaptureFormatError, match="not a workbench capture"):
        read_wbcap(path)
    path.write_text('#wbcap 9 {"created": "2026-11-25T10:00:00Z", "meta": {}}\n')
    with pytest.raises(CaptureFormatError, match="version '9' is not supported"):
        read_wbcap(path)


def test_missing_file_is_a_capture_error(tmp_path):
    with pytest.raises(CaptureError, match="cannot read capture"):
        load_capture(tmp_path / "nope.wbcap")


def test_header_from_settings_never_holds_the_password(tmp_path):
    settings = ConnectionSettings(host="10.0.0.9", client=1, password="2222222222")
    header = CaptureHeader.from_settings(settings, created=0.0, serial="000019001234")
    assert header.meta["auth"] == "lls"
    assert header.meta["serial"] == "000019001234"
    path = tmp_path / "h.wbcap"
    save_capture(path, [], header)
    assert "2222222222" not in path.read_text()
    with pytest.raises(ValueError, match="refuses the field 'password'"):
        CaptureHeader(meta={"password": "x"})
