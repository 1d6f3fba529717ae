"""ACSE: AARQ/AARE/RLRQ/RLRE encoding, decoding, dissection and plain-language results."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.apdu import (
    Aare,
    Aarq,
    ApplicationContext,
    AssociationResult,
    ConfirmedServiceError,
    Conformance,
    DiagnosticSource,
    InitiateRequest,
    InitiateResponse,
    Mechanism,
    Rlre,
    Rlrq,
    decode_acse,
    describe_aare,
    encode_acse,
)
from workbench.protocol.errors import DecodeError, ProtocolError
from workbench.protocol.fields import Recorder

# An AARQ as sent by a common DLMS client: LN context, LLS, password "2222222222".
AARQ_LLS = bytes.fromhex(
    "60 38 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01"
    " AC 0C 80 0A 32 32 32 32 32 32 32 32 32 32"
    " BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 40 1E 5D FF FF")


def _dissect(data: bytes) -> tuple[object, Recorder]:
    rec = Recorder("ACSE")
    return decode_acse(data, rec), rec


def test_lls_aarq_decodes_field_by_field() -> None:
    aarq = decode_acse(AARQ_LLS)
    assert aarq == Aarq(ApplicationContext.LN, Mechanism.LLS, b"2222222222",
                        user_information=InitiateRequest(Conformance(0x401E5D), 0xFFFF))
    assert encode_acse(aarq) == AARQ_LLS


def test_vendor_password_fragment_is_the_calling_authentication_value() -> None:
    """Notes: ``AC 0C 80 0A 32..32``. 0x80 is the [0] charstring (GraphicString) choice of
    Authentication-value, not an "octet string" as the notes say; 0x0C counts 80 0A + 10."""
    fragment = bytes.fromhex("AC 0C 80 0A 32 32 32 32 32 32 32 32 32 32")
    start = AARQ_LLS.index(fragment)
    aarq, rec = _dissect(AARQ_LLS)
    assert aarq.password == b"2222222222"
    node = rec.finish().find("calling-authentication-value")
    assert (node.offset, node.length) == (start, 14)
    password = node.find("password")
    assert password.secret and password.value == "***"
    assert (password.offset, password.length) == (start + 4, 10)


def test_password_never_appears_in_repr_or_dissection_text() -> None:
    aarq, rec = _dissect(AARQ_LLS)
    assert "2222222222" not in repr(aarq)
    assert all("2222222222" not in n.value and "32 32 32" not in n.value
               for n in rec.finish().walk())


def test_notes_mislabel_acse_requirements_as_conformance_block() -> None:
    """The notes label ``8A 02 07 80`` "Conformance block". It is sender-acse-requirements
    (BIT STRING, 7 unused bits, bit 0 = authentication); the conformance block is the
    ``5F 1F 04 00`` + 3 bytes inside the xDLMS InitiateRequest in user-information."""
    at = AARQ_LLS.index(bytes.fromhex("8A 02 07 80"))
    _, rec = _dissect(AARQ_LLS)
    tree = rec.finish()
    requirements = tree.find("sender-acse-requirements")
    assert (requirements.offset, requirements.length, requirements.value) == (
        at, 4, "authentication")
    conformance = tree.find("conformance")
    assert conformance.offset == AARQ_LLS.index(bytes.fromhex("5F 1F 04 00"))
    assert conformance.offset > tree.find("user-information").offset
    assert "get" in conformance.value and "selective-access" in conformance.value


def test_rejected_aare_reads_in_plain_language() -> None:
    aare = decode_acse(bytes.fromhex(
        "61 1F A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 0D"
        " BE 06 04 04 0E 01 06 00"))
    assert aare.result == AssociationResult.REJECTED_PERMANENT
    assert (aare.diagnostic_source, aare.diagnostic) == (DiagnosticSource.USER, 13)
    assert aare.user_information == ConfirmedServiceError(1, 6, 0)
    assert describe_aare(aare).startswith(
        "rejected (permanent): authentication failure — wrong password, or this client "
        "address does not accept it")


@pytest.mark.parametrize(("aare", "text"), [
    (Aare(AssociationResult.ACCEPTED), "accepted"),
    (Aare(AssociationResult.REJECTED_PERMANENT, 2),
     "rejected (permanent): application context name not supported"),
    (Aare(AssociationResult.REJECTED_TRANSIENT, 2, DiagnosticSource.PROVIDER),
     "rejected (transient): no common acse version"),
    (Aare(AssociationResult.REJECTED_PERMANENT, 14), "authentication required"),
    (Aare(AssociationResult.REJECTED_PERMANENT, 11), "try LLS"),
])
def test_describe_aare(aare: Aare, text: str) -> None:
    assert text in describe_aare(aare)


def test_accepted_aare_round_trips_with_initiate_response() -> None:
    aare = Aare(AssociationResult.ACCEPTED, 0, DiagnosticSource.USER, ApplicationContext.LN,
                Mechanism.LLS, b"MSR00001",
                user_information=InitiateResponse(Conformance(0x00501F), 0x01F4))
    data = encode_acse(aare)
    assert data[:2] == b"\x61" + bytes([len(data) - 2])
    assert decode_acse(data) == aare


def test_long_form_lengths() -> None:
    aarq = Aarq(calling_ap_title=bytes(range(200)), called_ap_title=b"\x01" * 300)
    data = encode_acse(aarq)
    assert data[1] == 0x82  # total over 255 bytes: long form with two length bytes
    assert bytes.fromhex("A2 82 01 30 04 82 01 2C") in data
    assert decode_acse(data) == aarq


@pytest.mark.parametrize("apdu", [
    Rlrq(), Rlrq(0), Rlrq(1, InitiateRequest()), Rlre(0), Rlre(30, InitiateResponse(
        Conformance.GET, 512)), Rlre(user_information=b"\x28\x01\x02")])
def test_release_round_trips(apdu: Rlrq | Rlre) -> None:
    assert decode_acse(encode_acse(apdu)) == apdu


def test_release_request_bytes() -> None:
    assert encode_acse(Rlrq(0)) == bytes.fromhex("62 03 80 01 00")


def test_unknown_elements_are_recorded_and_skipped() -> None:
    body = AARQ_LLS[2:] + bytes.fromhex("BD 03 04 01 41")  # implementation-information
    data = bytes([0x60, len(body)]) + body
    aarq, rec = _dissect(data)
    assert aarq == decode_acse(AARQ_LLS)
    skipped = rec.finish().find("element 0xBD (skipped)")
    assert (skipped.offset, skipped.length) == (len(data) - 5, 5)


@pytest.mark.parametrize(("data", "offset", "fragment"), [
    ("60", 1, "length of element 0x60 missing"),
    ("60 80 00 00", 1, "indefinite"),
    ("60 05 A1 03", 0, "runs past"),
    ("60 02 A1 00 00", 4, "trailing"),
    ("60 00", 0, "context missing"),
    ("60 09 A1 07 06 05 60 85 74 05 09", 6, "unknown object identifier"),
    ("60 0B A1 09 06 07 60 85 74 05 08 01 09", 6, "unknown object identifier"),
    ("60 0B A1 09 04 07 60 85 74 05 08 01 01", 4, "tag 0x04"),
    ("61 0D A1 09 06 07 60 85 74 05 08 01 01 A2 00", 15, "element missing"),
    ("61 10 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 07", 17, "association result"),
    ("60 03 8B 01 E0", 4, "truncated object identifier"),
    ("60 85 01 02 03 04 05", 1, "long-form"),
    ("60 84 FF FF FF FF", 0, "runs past"),
])
def test_malformed_input_names_the_byte(data: str, offset: int, fragment: str) -> None:
    with pytest.raises(DecodeError) as err:
        decode_acse(bytes.fromhex(data))
    assert err.value.offset == offset
    assert fragment in str(err.value)


def test_every_truncation_of_a_valid_aarq_is_a_decode_error() -> None:
    for cut in range(len(AARQ_LLS)):
        with pytest.raises(DecodeError) as err:
            decode_acse(AARQ_LLS[:cut])
        assert err.value.offset is not None


_titles = st.none() | st.binary(max_size=300)


@given(st.builds(Aarq, st.sampled_from(ApplicationContext), st.none() | st.sampled_from(
    Mechanism), st.none() | st.binary(max_size=140), _titles, _titles,
    st.none() | st.builds(InitiateRequest, st.builds(Conformance, st.integers(0, 2**24 - 1)),
                          st.integers(0, 0xFFFF)), st.booleans()))
def test_aarq_round_trip(aarq: Aarq) -> None:
    assert decode_acse(encode_acse(aarq)) == aarq


@given(st.binary(max_size=80), st.sampled_from([0x60, 0x61, 0x62, 0x63]))
def test_any_bytes_decode_or_raise_protocol_error(body: bytes, tag: int) -> None:
    for data in (bytes([tag]) + body, bytes([tag, len(body) & 0xFF]) + body):
        try:
            aarq = decode_acse(data, Recorder("ACSE"))
        except ProtocolError:
            continue
        assert decode_acse(encode_acse(aarq)) == aarq
