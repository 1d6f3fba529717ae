"""Masking under HLS: the AARQ's calling-authentication-value is the challenge CtoS, sent in
clear on purpose and needed to check the exchange afterwards, so it stays visible — in a
whole frame, across segments and in the dissection — while the LLS password, in the same
element, stays masked."""

from __future__ import annotations

import pytest

from tests.capture.samples import (
    LLC_REQUEST,
    PASSWORD,
    aarq_frame,
    info_frame,
    split_aarq_frames,
)
from workbench.framelog.masking import MASK_BYTE, Masker
from workbench.protocol.apdu import Aarq, ApplicationContext, Mechanism, encode_acse
from workbench.protocol.dissect import dissect
from workbench.protocol.fields import ACSE
from workbench.protocol.hdlc import split_info

CHALLENGE = bytes(range(0x41, 0x51))  # 16 bytes CtoS
GLO_INITIATE = bytes.fromhex("211F30000000011234567890ABCDEF1234567890ABCDEF1234567890ABCD")


def _hls_info(mechanism: Mechanism = Mechanism.HLS_GMAC) -> bytes:
    aarq = Aarq(context=ApplicationContext.LN_CIPHERED, mechanism=mechanism,
                password=CHALLENGE, calling_ap_title=bytes.fromhex("5742430000000001"),
                user_information=GLO_INITIATE)
    return LLC_REQUEST + encode_acse(aarq)


@pytest.mark.parametrize("mechanism", [Mechanism.HLS_GMAC, Mechanism.HLS_SHA256])
def test_the_hls_challenge_stays_visible_and_is_no_secret_in_the_dissection(
        mechanism: Mechanism) -> None:
    frame = info_frame(_hls_info(mechanism))
    assert Masker().mask(frame) == frame
    nodes = [n for tree in dissect(frame) for n in tree.walk()]
    assert not [n for n in nodes if n.secret]
    challenge = next(n for n in nodes if n.key == ACSE.CHALLENGE.key)
    assert challenge.value == CHALLENGE.hex(" ")


@pytest.mark.parametrize("max_info", [24, 40, 64])
def test_a_split_hls_aarq_keeps_its_challenge(max_info: int) -> None:
    parts = split_info(_hls_info(), max_info)
    frames = [info_frame(part, n_s=i % 8, segmented=i < len(parts) - 1)
              for i, part in enumerate(parts)]
    masker = Masker()
    assert [masker.mask(f) for f in frames] == frames


def test_the_lls_password_is_still_masked_whole_and_split() -> None:
    masked = Masker().mask(aarq_frame())
    assert PASSWORD not in masked and bytes([MASK_BYTE]) * len(PASSWORD) in masked
    masker = Masker()
    joined = b"".join(masker.mask(f) for f in split_aarq_frames(24))
    assert joined.count(MASK_BYTE) >= len(PASSWORD)
    assert not [n for tree in dissect(aarq_frame()) for n in tree.walk()
                if n.key == ACSE.CHALLENGE.key]  # the password is no challenge either
