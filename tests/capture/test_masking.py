"""Password masking of AARQs the careful parser rejects: cut short, with a stray byte, split
over HDLC segments; in the masker, and in both capture formats written to disk."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.capture.samples import (
    PASSWORD,
    aarq_frame,
    aarq_info,
    get_frame,
    info_frame,
    rr_frame,
    snrm_frame,
    split_aarq_frames,
)
from workbench.capture import CaptureHeader, load_capture, save_capture
from workbench.framelog import FrameRecord, Masker, mask_frame
from workbench.protocol.apdu import Aarq, Mechanism, encode_acse
from workbench.protocol.dissect import dissect
from workbench.protocol.hdlc import decode_frame

NON_ASCII = bytes.fromhex("C3A9 00FF 807E 5AE2 8AC0 AC0C 800A")  # flag, AC 0C 80 0A inside
LONG = bytes(range(0x80, 0xA8))  # 40 bytes: the AARQ needs three segments at max_info 32
HEADER = CaptureHeader(created=1_764_064_800.5, meta={"host": "10.1.2.3"})


def stars(password: bytes) -> bytes:
    return b"*" * len(password)


def mask_all(frames: list[bytes]) -> list[bytes]:
    masker = Masker()
    return [masker.mask(frame) for frame in frames]


def info_of(frame: bytes) -> bytes:
    return decode_frame(frame).info  # raises ChecksumError unless HCS/FCS were recomputed


def assert_hidden(data: bytes, secret: bytes) -> None:
    """Neither the bytes nor their hex (either case, spaced or not) appear in ``data``."""
    text = data.decode("latin-1")
    for form in (secret.decode("latin-1"), secret.hex(), secret.hex(" ")):
        assert form.lower() not in text.lower()


@pytest.mark.parametrize("password", [PASSWORD, NON_ASCII, LONG], ids=["ascii", "binary", "40B"])
@pytest.mark.parametrize("max_info", [24, 32, 36, 48])
def test_split_aarq_masks_exactly_the_password(max_info, password):
    frames = split_aarq_frames(max_info, password)
    assert len(frames) >= 2
    masked = mask_all(frames)
    assert b"".join(info_of(frame) for frame in masked) == aarq_info(stars(password))
    for frame in masked:
        assert_hidden(frame, password[:4])


@pytest.mark.parametrize("max_info", [24, 32])
def test_three_segments_and_the_reassembled_apdu_still_decodes(max_info):
    frames = split_aarq_frames(max_info, LONG if max_info == 32 else PASSWORD)
    assert len(frames) == 3
    roots = dissect(b"".join(mask_all(frames)))
    whole = roots[-1]
    assert whole.key == "hdlc.reassembled" and not whole.errors()
    assert [n.length for n in whole.walk() if n.secret]  # the password is still a field


def test_resent_segment_is_masked_where_the_first_copy_was():
    first, second, third = split_aarq_frames(24)
    masked = mask_all([first, second, rr_frame(), second, third])
    assert masked[1] == masked[3]
    assert b"".join(info_of(f) for f in (masked[0], masked[1], masked[4])) == \
        aarq_info(stars(PASSWORD))


def test_a_new_aarq_restarts_and_a_link_reset_forgets_the_split():
    frames = split_aarq_frames(32)
    masker = Masker()
    masker.mask(frames[0])
    masked = [masker.mask(frame) for frame in [*frames, snrm_frame(), get_frame()]]
    assert b"".join(info_of(f) for f in masked[:2]) == aarq_info(stars(PASSWORD))
    assert masked[2:] == [snrm_frame(), get_frame()]


@pytest.mark.parametrize("cut", [33, 36, 40, 43, 50], ids=lambda c: f"info[:{c}]")
def test_truncated_aarq_masks_the_password_bytes_it_holds(cut):
    info = aarq_info()[:cut]
    frame = info_frame(info)
    masked = mask_frame(frame)
    expected = aarq_info(stars(PASSWORD))[:cut]
    assert info_of(masked) == expected
    assert (masked == frame) == (expected == info)  # before the password: nothing to hide


def test_aarq_with_a_trailing_byte():
    frame = info_frame(aarq_info(NON_ASCII) + b"\x00")
    assert info_of(mask_frame(frame)) == aarq_info(stars(NON_ASCII)) + b"\x00"


def test_frame_cut_short_on_the_wire_is_masked_without_a_header_check():
    frame = aarq_frame()[:-14]  # ends inside the password: no FCS, no closing flag
    masked = mask_frame(frame)
    assert len(masked) == len(frame) and PASSWORD[:4] not in masked


def test_damaged_tag_falls_back_to_masking_everything_after_the_aarq_tag():
    info = aarq_info().replace(b"\xac\x0c\x80\x0a", b"\xad\x0c\x80\x0a")
    masked = info_of(mask_frame(info_frame(info)))
    assert masked[:4] == b"\xe6\xe6\x00\x60" and set(masked[4:]) == {ord("*")}


def test_frames_without_a_password_are_returned_as_they_are():
    public = encode_acse(Aarq(mechanism=Mechanism.NONE))
    frames = [snrm_frame(), info_frame(b"\xe6\xe6\x00" + public), get_frame(), rr_frame()]
    masker = Masker()
    assert all(masker.mask(frame) is frame for frame in frames)


@given(st.binary(min_size=1, max_size=40), st.integers(8, 80))
@example(bytes.fromhex("e6e60060"), 11)  # 9+ segments: N(S) wraps past 7
def test_any_password_at_any_max_info_is_masked_exactly(password, max_info):
    masked = mask_all(split_aarq_frames(max_info, password))
    assert b"".join(info_of(frame) for frame in masked) == aarq_info(stars(password))


@given(st.lists(st.binary(max_size=60).map(lambda b: b"\xe6\xe6\x00\x60" + b), max_size=4),
       st.binary(max_size=20))
def test_arbitrary_bytes_never_raise_and_keep_their_length(infos, junk):
    masker = Masker()
    frames = [info_frame(info, n_s=i, segmented=i < len(infos) - 1)
              for i, info in enumerate(infos)]
    for raw in [*frames, junk, b"\xe6\xe6\x00\x60" + junk, frames[0][:-3] if frames else b""]:
        assert len(masker.mask(raw)) == len(raw)


@pytest.mark.parametrize("suffix", [".wbcap", ".pcapng"])
@pytest.mark.parametrize("case", ["split24", "split32", "split48", "truncated", "trailing"])
def test_saved_captures_never_hold_the_password(tmp_path, suffix, case):
    password = NON_ASCII if case == "trailing" else PASSWORD
    frames = {
        "split24": lambda: split_aarq_frames(24, password),
        "split32": lambda: split_aarq_frames(32, password),
        "split48": lambda: split_aarq_frames(48, password),
        "truncated": lambda: [info_frame(aarq_info(password)[:40])],
        "trailing": lambda: [info_frame(aarq_info(password) + b"\x01")],
    }[case]()
    records = [FrameRecord(1_764_064_800.0 + i, "tx", raw, "") for i, raw in
               enumerate([snrm_frame(), *frames, rr_frame()])]
    path = tmp_path / f"s{suffix}"
    save_capture(path, records, HEADER)
    assert_hidden(path.read_bytes(), password[:6])
    for record in load_capture(path).records:
        decode_frame(record.raw)  # every frame decoded before, so it still does
