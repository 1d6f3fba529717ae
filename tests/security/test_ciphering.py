"""Suite-0 ciphering and HLS-GMAC, checked against dlms-cosem's implementation as an oracle."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.errors import ProtocolError
from workbench.security import (
    Key,
    SecurityContext,
    SecurityControl,
    SecurityError,
    SystemTitle,
    gmac_answer,
    make_challenge,
    protect_apdu,
    unprotect_apdu,
    verify_gmac_answer,
)

EK = Key(bytes.fromhex("000102030405060708090A0B0C0D0E0F"))
AK = Key(bytes.fromhex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"))
CLIENT = SystemTitle(bytes.fromhex("4D4D4D0000BC614E"))
METER = SystemTitle(b"MSR\x00\x00\x00\x12\x34")
GET = bytes.fromhex("C001C1000800000100FF0200")

oracle = pytest.importorskip("dlms_cosem.security")


def _oracle_control(c: SecurityControl) -> object:
    return oracle.SecurityControlField(security_suite=c.suite, authenticated=c.authenticated,
                                       encrypted=c.encrypted)


@pytest.mark.oracle
@given(plain=st.binary(min_size=1, max_size=300), counter=st.integers(0, 0xFFFFFFFF))
def test_protect_matches_dlms_cosem(plain: bytes, counter: int) -> None:
    control = SecurityControl()
    ours = protect_apdu(b"\xC0" + plain, control, CLIENT, counter, EK, AK)
    theirs = oracle.encrypt(_oracle_control(control), bytes(CLIENT), counter, EK.reveal(),
                            b"\xC0" + plain, AK.reveal())
    assert ours[0] == 0xC8
    assert ours.endswith(bytes([control.byte]) + counter.to_bytes(4, "big") + theirs)


@pytest.mark.oracle
@given(challenge=st.binary(min_size=8, max_size=64), counter=st.integers(0, 0xFFFFFFFF))
def test_gmac_answer_matches_dlms_cosem(challenge: bytes, counter: int) -> None:
    ours = gmac_answer(challenge, CLIENT, counter, EK, AK)
    control = oracle.SecurityControlField(security_suite=0, authenticated=True)
    tag = oracle.gmac(control, bytes(CLIENT), counter, EK.reveal(), AK.reveal(), challenge)
    assert ours == b"\x10" + counter.to_bytes(4, "big") + tag
    assert verify_gmac_answer(ours, challenge, CLIENT, EK, AK) == counter


def test_round_trip_between_two_contexts() -> None:
    client = SecurityContext(CLIENT, EK, AK, counter=7, peer_title=METER)
    meter = SecurityContext(METER, EK, AK, counter=100, peer_title=CLIENT)
    assert meter.unprotect(client.protect(GET)) == GET
    answer = bytes.fromhex("C401C100090C07E80C0405")
    assert client.unprotect(meter.protect(answer)) == answer
    assert (client.counter, meter.counter) == (8, 101)


def test_a_replayed_apdu_is_refused() -> None:
    client = SecurityContext(CLIENT, EK, AK, counter=7)
    meter = SecurityContext(METER, EK, AK, peer_title=CLIENT)
    sent = client.protect(GET)
    meter.unprotect(sent)
    with pytest.raises(SecurityError, match="did not increase"):
        meter.unprotect(sent)


@pytest.mark.parametrize("flip", [0, 6, 10, -1])
def test_any_damaged_byte_fails_authentication(flip: int) -> None:
    sent = bytearray(SecurityContext(CLIENT, EK, AK, counter=1).protect(GET))
    sent[flip] ^= 0x01
    with pytest.raises(ProtocolError):
        unprotect_apdu(bytes(sent), CLIENT, EK, AK)


def test_wrong_key_names_the_likely_causes_without_the_key() -> None:
    sent = SecurityContext(CLIENT, EK, AK, counter=1).protect(GET)
    wrong = Key(bytes(16))
    with pytest.raises(SecurityError) as err:
        unprotect_apdu(sent, CLIENT, wrong, AK)
    assert "wrong authentication or block cipher key" in str(err.value)
    assert EK.reveal().hex() not in str(err.value).replace(" ", "").lower()


def test_general_glo_carries_its_system_title() -> None:
    sent = SecurityContext(CLIENT, EK, AK, counter=3).protect(GET)
    body = sent[2:]  # control byte, counter, payload after tag + 1-byte length
    general = bytes([0xDB, 8]) + bytes(CLIENT) + bytes([len(body)]) + body
    got = unprotect_apdu(general, None, EK, AK)
    assert (got.plain, got.system_title, got.counter) == (GET, CLIENT, 3)


def test_authentication_only_keeps_the_apdu_readable() -> None:
    control = SecurityControl(encrypted=False)
    sent = protect_apdu(GET, control, CLIENT, 5, EK, AK)
    assert GET in sent
    assert unprotect_apdu(sent, CLIENT, EK, AK).plain == GET


@given(st.binary(max_size=64))
def test_arbitrary_bytes_raise_only_typed_errors(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        unprotect_apdu(data, CLIENT, EK, AK)


def test_keys_never_show_themselves() -> None:
    assert "0001" not in f"{EK!r} {EK} {EK:>40}"
    with pytest.raises(ValueError, match="16 bytes"):
        Key.from_hex("0011")
    with pytest.raises(ValueError, match="hexadecimal") as err:
        Key.from_hex("zz" * 16)
    assert "zz" not in str(err.value)


def test_wrong_gmac_answer_is_refused() -> None:
    challenge = make_challenge()
    answer = gmac_answer(challenge, METER, 9, EK, AK)
    with pytest.raises(SecurityError, match="do not share"):
        verify_gmac_answer(answer, challenge, METER, Key(bytes(16)), AK)
    with pytest.raises(SecurityError, match="must be 17 bytes"):
        verify_gmac_answer(answer[:-1], challenge, METER, EK, AK)


def test_the_counter_is_never_reused_or_wrapped() -> None:
    ctx = SecurityContext(CLIENT, EK, AK, counter=0xFFFFFFFF)
    ctx.protect(GET)
    with pytest.raises(SecurityError, match="exhausted"):
        ctx.protect(GET)
