"""Capture files nobody honest writes: every reader answers with a typed error naming where.

The inputs are the issue's reproductions (each raised ValueError, RecursionError,
struct.error or OverflowError before) plus the caps on sizes the file decides.
"""

from __future__ import annotations

import struct

import pytest

from tests.capture.samples import session_records
from workbench.capture import (
    CaptureFormatError,
    CaptureHeader,
    load_capture,
    parse_pcapng,
    parse_wbcap,
    save_capture,
)
from workbench.capture.limits import MAX_BLOCK_BYTES, MAX_JSON_DEPTH, MAX_LINE_CHARS
from workbench.capture.model import MAX_PROBLEMS
from workbench.cli import main

SHB_THEN_SHORT_BLOCK = ("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000"
                        "{type}0000000c0000000c000000")
HEADER_LINE = '#wbcap 1 {"created": "2026-11-25T10:00:00.000000Z", "meta": {}}\n'


def pcapng_with_comment(comment: bytes) -> bytes:
    """A Section Header Block carrying one opt_comment."""
    option = struct.pack("<HH", 1, len(comment)) + comment + b"\0" * (-len(comment) % 4)
    body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + option + bytes(4)
    return struct.pack("<II", 0x0A0D0D0A, len(body) + 12) + body + struct.pack(
        "<I", len(body) + 12)


@pytest.mark.parametrize(("text", "expected"), [
    ("#wbcap ² {}\n", "version '²' is not supported"),
    ("#wbcap " + "9" * 4301 + " {}\n", "is not supported (this workbench reads 1 to"),
    ("#wbcap 1 " + "[" * 1000 + "\n", f"nested {MAX_JSON_DEPTH + 1}+ levels deep"),
    ('#wbcap 1 {"created": "2026-11-25T10:00:00Z", "meta": {"a": [1]}}\n',
     "must be text or a number"),
    ('#wbcap 1 {"created": 1e999, "meta": {}}\n', "'created' must be ISO 8601"),
    ('#wbcap 1 {"created": "0001-01-01T00:00:00+14:00", "meta": {}}\n', "1970..9999"),
    ('#wbcap 1 {"created": "2026-11-25T10:00:00Z", "meta": {"x": NaN}}\n', "NaN"),
    ('#wbcap 1 {"created": "2026-11-25T10:00:00Z", "meta": {"password": "2"}}\n',
     "refuses the field 'password'"),
], ids=["superscript", "4301-nines", "1000-brackets", "nested-meta", "inf-time",
        "year-1", "nan", "password-key"])
def test_bad_wbcap_header_names_line_1(text, expected):
    with pytest.raises(CaptureFormatError) as info:
        parse_wbcap(text.splitlines(keepends=True))
    assert info.value.line == 1 and expected in str(info.value)


@pytest.mark.parametrize(("block_type", "expected"), [
    ("06", "enhanced packet block body is 0 bytes, expected at least 20"),
    ("01", "interface description block body is 0 bytes, expected at least 8"),
])
def test_block_too_short_for_its_fields_names_its_byte(block_type, expected):
    data = bytes.fromhex(SHB_THEN_SHORT_BLOCK.format(type=block_type))
    with pytest.raises(CaptureFormatError) as info:
        parse_pcapng(data)
    assert info.value.offset == 28 and expected in str(info.value)


@pytest.mark.parametrize(("comment", "expected"), [
    (b'{"version": 1e999, "created": 0, "meta": {}}', "version inf is not supported"),
    (b'{"version": 1, "created": -5, "meta": {}}', "outside 1970..9999"),
    (b'{"version": true, "created": 0, "meta": {}}', "version True is not supported"),
    (b"[" * 5000, "nested"),
    (b'{"version": 1, "created": 0, "meta": 7}', "'meta' must be an object"),
])
def test_bad_section_comment_is_a_format_error(comment, expected):
    data = pcapng_with_comment(b"workbench capture header: " + comment)
    with pytest.raises(CaptureFormatError, match="bad workbench header comment") as info:
        parse_pcapng(data)
    assert expected in str(info.value) and info.value.offset == 0


def test_block_longer_than_the_cap_is_refused_before_it_is_read():
    huge = MAX_BLOCK_BYTES + 4
    data = (pcapng_with_comment(b"x") + struct.pack("<II", 6, huge) + bytes(huge - 12)
            + struct.pack("<I", huge))
    with pytest.raises(CaptureFormatError, match=f"from 12 to {MAX_BLOCK_BYTES}"):
        parse_pcapng(data)


def test_packet_length_past_its_block_is_refused(tmp_path):
    path = tmp_path / "s.pcapng"
    save_capture(path, session_records()[:1], CaptureHeader(created=1.0))
    data = bytearray(path.read_bytes())
    epb = data.rfind(struct.pack("<I", 6))  # the last block is the one packet
    data[epb + 20:epb + 24] = struct.pack("<I", 5000)  # captured length
    with pytest.raises(CaptureFormatError, match="packet length 5000 runs past its block"):
        parse_pcapng(bytes(data))


def test_packet_time_beyond_year_9999_is_refused(tmp_path):
    path = tmp_path / "s.pcapng"
    save_capture(path, session_records()[:1], CaptureHeader(created=1.0))
    data = bytearray(path.read_bytes())
    epb = data.rfind(struct.pack("<I", 6))
    data[epb + 12:epb + 16] = b"\xff\xff\xff\x7f"  # timestamp high word: ~2^62 microseconds
    with pytest.raises(CaptureFormatError, match=r"packet time .* is outside 1970\.\.9999"):
        parse_pcapng(bytes(data))


def test_endless_line_is_cut_reported_and_the_rest_still_read(tmp_path):
    path = tmp_path / "long.wbcap"
    save_capture(path, session_records()[:2], CaptureHeader(created=1.0))
    with path.open("a") as f:
        f.write("A" * (3 * MAX_LINE_CHARS) + "\n")
    save_capture(tmp_path / "tail.wbcap", session_records()[2:3], CaptureHeader(created=1.0))
    with path.open("a") as f:
        f.write((tmp_path / "tail.wbcap").read_text().splitlines()[1] + "\n")
    capture = load_capture(path)
    assert len(capture.records) == 3
    (problem,) = capture.problems
    assert problem.line == 4 and f"longer than {MAX_LINE_CHARS} characters" in str(problem)


def test_a_file_of_garbage_lists_a_bounded_number_of_problems():
    lines = [HEADER_LINE] + ["garbage\n"] * (MAX_PROBLEMS * 3)
    capture = parse_wbcap(lines, strict=False)
    assert len(capture.problems) == MAX_PROBLEMS and capture.skipped == MAX_PROBLEMS * 3


@pytest.mark.parametrize(("name", "content", "where"), [
    ("bad.wbcap", b"#wbcap 1 " + b"[" * 1000 + b"\n", "line 1"),
    ("bad.pcapng", bytes.fromhex(SHB_THEN_SHORT_BLOCK.format(type="06")), "byte 28"),
])
def test_decode_reports_a_damaged_capture_in_one_line_with_exit_2(tmp_path, capsys, name,
                                                                   content, where):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["decode", "--file", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert err.startswith("workbench decode: damaged capture:") and where in err
    assert "expected" in err
