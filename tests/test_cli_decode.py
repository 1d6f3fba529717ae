"""``workbench decode``: hex in any spelling, trees out, exit status 0/1/2, no tracebacks."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys

import pytest

from workbench.capture import CaptureHeader, save_capture
from workbench.cli import decode
from workbench.protocol.apdu import Aarq, Mechanism, encode_apdu
from workbench.protocol.hdlc import LLC_REQUEST, LLC_RESPONSE, FrameKind, HdlcFrame, encode_frame
from workbench.session.trace import FrameRecord

SNRM = "7E A0 07 03 03 93 8C 11 7E"
DISC = "7E A0 08 02 03 03 53 09 B1 7E"


def run_decode(argv: list[str], capsys, stdin: str = "") -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    decode.register(parser.add_subparsers())
    args = parser.parse_args(["decode", *argv])
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        status = args.func(args)
    finally:
        sys.stdin = sys_stdin
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("spelling", [
    [SNRM], SNRM.split(), [SNRM.replace(" ", "")], [SNRM.replace(" ", ":").lower()],
    ["0x7E 0xA0 0x07 0x03 0x03 0x93 0x8C 0x11 0x7E"],
])
def test_every_hex_spelling_gives_the_same_tree(spelling, capsys):
    status, out, err = run_decode(spelling, capsys)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[0] == "0" and "HDLC frame: SNRM" in lines[0]
    assert any(line.split()[:3] == ["6", "8C", "11"] and "FCS: 8C 11 (ok)" in line
               for line in lines)


def test_several_frames_and_stdin(capsys):
    status, out, _ = run_decode(["-"], capsys, stdin=f"{SNRM}\n{DISC}\n")
    assert status == 0
    assert [line for line in out.splitlines() if "HDLC frame" in line][1].split()[0] == "9"


def test_no_arguments_reads_stdin(capsys):
    status, out, _ = run_decode([], capsys, stdin=DISC)
    assert status == 0 and "DISC" in out


def test_checksum_error_is_shown_on_its_field_and_exits_1(capsys):
    status, out, err = run_decode([SNRM[:-5] + "12 7E"], capsys)
    assert status == 1
    fcs_line = next(line for line in out.splitlines() if "FCS:" in line)
    assert "<-- HDLC frame: FCS mismatch at bytes 6–7: got 8C 12, expected 8C 11" in fcs_line
    assert "FCS mismatch at bytes 6–7" in err


def test_truncated_frame_names_the_byte_where_it_breaks(capsys):
    status, out, _ = run_decode(["7E A0 20 03 03 10"], capsys)
    assert status == 1
    assert "frame ends before the HCS at byte 6" in out


def test_json_output_carries_hex_and_errors(capsys):
    status, out, _ = run_decode(["--json", "00 01", SNRM], capsys)
    assert status == 1  # the junk bytes are an error
    trees = json.loads(out)
    assert [t["name"] for t in trees] == ["junk", "HDLC frame"]
    assert trees[0]["hex"] == "00 01" and "error" in trees[0]
    fcs = next(c for c in trees[1]["children"] if c["name"] == "FCS")
    assert fcs["hex"] == "8C 11" and fcs["offset"] == 8


def test_apdu_fields_in_the_tree(capsys):
    frame = encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", info=LLC_REQUEST
                                   + bytes.fromhex("C0 01 C1 00 03 01 01 20 07 00 FF 02 00")))
    status, out, _ = run_decode([frame.hex()], capsys)
    assert status == 0
    assert "instance-id: 1-1:32.7.0.255" in out and "LLC: request" in out


def test_file_with_hex_text_and_with_raw_bytes(tmp_path, capsys):
    text = tmp_path / "frames.txt"
    text.write_text(f"{SNRM}\n{DISC}\n")
    raw = tmp_path / "frames.bin"
    raw.write_bytes(bytes.fromhex(SNRM + DISC))
    out_text = run_decode(["--file", str(text)], capsys)
    out_raw = run_decode(["--file", str(raw)], capsys)
    assert out_text == out_raw and out_text[0] == 0


@pytest.mark.parametrize("suffix", [".wbcap", ".pcapng"])
def test_capture_file_is_shown_record_by_record(tmp_path, capsys, suffix):
    path = tmp_path / f"session{suffix}"
    records = [FrameRecord(100.0, "tx", bytes.fromhex(SNRM)),
               FrameRecord(100.25, "rx", bytes.fromhex(SNRM[:-5] + "12 7E"))]
    save_capture(path, records, CaptureHeader(created=100.0))
    status, out, err = run_decode(["--file", str(path)], capsys)
    assert status == 1  # the second record's FCS is wrong
    assert [line for line in out.splitlines() if line.startswith("==")] == [
        "== #1 tx t=100.000", "== #2 rx t=100.250"]
    assert err.startswith("error: #2 rx t=100.250: HDLC frame: FCS mismatch at bytes 6–7")
    status, out, _ = run_decode(["--json", "--file", str(path)], capsys)
    blocks = json.loads(out)
    assert [b["record"] for b in blocks] == ["#1 tx t=100.000", "#2 rx t=100.250"]
    assert blocks[0]["trees"][0]["value"].startswith("SNRM")


def test_unreadable_capture_exits_2(tmp_path, capsys):
    path = tmp_path / "broken.pcapng"
    path.write_bytes(b"not a capture at all")
    status, _, err = run_decode(["--file", str(path)], capsys)
    assert status == 2 and "broken.pcapng" in err and "Traceback" not in err


@pytest.mark.parametrize(("argv", "message"), [
    (["7E A0 0G"], "not hex: 'G' at character 8 (where byte 2 would be)"),
    (["7E A0 0"], "odd number of hex digits (5): byte 2 is missing its second digit"),
    (["  "], "no bytes given"),
    (["--file", "/nonexistent/frames.txt"], "cannot read /nonexistent/frames.txt"),
])
def test_unusable_input_exits_2_with_a_clear_message(argv, message, capsys):
    status, out, err = run_decode(argv, capsys)
    assert status == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_secret_fields_are_masked(capsys):
    aarq = encode_apdu(Aarq(mechanism=Mechanism.LLS, password=b"2222222222"))
    frame = encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", info=LLC_REQUEST + aarq))
    for argv in ([frame.hex()], ["--json", frame.hex()]):
        status, out, _ = run_decode(argv, capsys)
        assert status == 0 and "** ** **" in out
        assert "32 32 32" not in out and "2222222222" not in out


def test_end_to_end_through_the_console_entry_point():
    done = subprocess.run([sys.executable, "-m", "workbench", "decode", "7E", "A0", "ZZ"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "not hex: 'Z'" in done.stderr and "Traceback" not in done.stderr


def _ui_frame(apdu: bytes) -> str:
    return encode_frame(HdlcFrame(FrameKind.UI, b"\x2B", b"\x21",
                                  info=LLC_RESPONSE + apdu)).hex(" ")


def test_a_push_frame_is_decoded_and_exits_0(capsys):
    push = bytes.fromhex("0F 80 00 00 07 0C 07 E8 03 05 02 0A 00 00 00 FF C4 00"
                         " 02 02 09 06 00 00 2A 00 00 FF 06 00 01 E2 40")
    status, out, err = run_decode([_ui_frame(push)], capsys)
    assert status == 0 and err == ""
    assert "data-notification" in out and "long-invoke-id-and-priority: id 7, high priority" in out
    assert "date-time: 2024-03-05 10:00:00 UTC+01:00" in out and "123456" in out


def test_a_valid_ciphered_frame_is_not_an_error(capsys):
    glo = bytes([0xCC, 5 + 8 + 12, 0x30]) + (42).to_bytes(4, "big") + bytes(8) + bytes(12)
    status, out, err = run_decode([_ui_frame(glo)], capsys)
    assert status == 0 and err == ""
    assert "glo-get-response: get-response, suite 0, authenticated and encrypted" in out
    assert "invocation-counter: 42" in out and "ciphertext: 8 bytes (not deciphered)" in out


def test_a_tolerated_deviation_is_a_warning_with_exit_0(capsys):
    status, out, err = run_decode([_ui_frame(bytes.fromhex("C7 01 C1 01"))], capsys)
    assert status == 0
    assert err.startswith("warning: the return-parameters presence byte is missing")
    assert "action-result: 1 (hardware-fault)" in out
    status, out, err = run_decode(["--json", _ui_frame(bytes.fromhex("C7 01 C1 01"))], capsys)
    assert '"warning": "the return-parameters presence byte is missing' in out
