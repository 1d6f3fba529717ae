"""The dissection with keys: every ciphered APDU of a real HLS-GMAC session shown in clear —
those in one frame, those reassembled from segments, and the glo-initiate inside the
AARQ/AARE — recorded over loopback from the simulated meter."""

from __future__ import annotations

from collections.abc import Iterator

from tests.interop.keys import AUTH_KEY, BLOCK_KEY, credentials, tcp_meter
from workbench.protocol.fields import ACSE, HDLC, WRAPPER, Node
from workbench.security import Key
from workbench.security.reveal import DECIPHERED_KEY, Revealer
from workbench.session import ConnectionSettings, DlmsClient, FrameRecord


def _hls_session(transport: str = "tcp") -> bytes:
    """The frames of an HLS session reading the object list (answers span many frames)."""
    frames: list[FrameRecord] = []
    with tcp_meter(wrapper=transport == "wrapper") as meter:
        settings = ConnectionSettings(port=meter.address[1], client=48, timeout=3,
                                      hls=credentials(), transport=transport)
        with DlmsClient(settings, observers=[frames.append]) as client:
            client.object_list()
    return b"".join(f.raw for f in frames)


def _deciphered(trees: list[Node]) -> Iterator[tuple[Node, Node]]:
    """(the node holding it, the deciphered node) everywhere in the trees."""
    for tree in trees:
        for node in tree.walk():
            for child in node.children:
                if child.key == DECIPHERED_KEY:
                    yield node, child


def test_reassembled_and_initiate_apdus_are_deciphered_too() -> None:
    data = _hls_session()
    trees = Revealer(Key(BLOCK_KEY), Key(AUTH_KEY)).dissect(data)
    found = list(_deciphered(trees))
    assert found and not [d.error for _, d in found if d.error]
    reassembled = [d for parent, d in found if parent.key == HDLC.REASSEMBLED.key]
    assert len(reassembled) >= 2, "ciphered APDUs reassembled from segments not deciphered"
    assert {d.children[0].name for d in reassembled} == {"get-response"}
    assert all(d.value.startswith("512 bytes from 4D 53 52") for d in reassembled[:-1])
    initiates = [d for parent, d in found if parent.key == ACSE.USER_INFORMATION.key]
    assert [d.children[0].name for d in initiates] == ["initiate-request", "initiate-response"]
    assert "from 57 42 43 00 00 00 00 01" in initiates[0].value  # the client's title


def test_without_the_right_keys_nothing_is_deciphered_but_everything_is_named() -> None:
    data = _hls_session()
    trees = Revealer(Key(bytes(16)), Key(AUTH_KEY)).dissect(data)
    found = list(_deciphered(trees))
    assert found and all(d.error and "cannot decipher" in d.error for _, d in found)
    assert all(not d.children for _, d in found)


def test_wrapper_pdus_are_deciphered_too() -> None:
    trees = Revealer(Key(BLOCK_KEY), Key(AUTH_KEY)).dissect(_hls_session("wrapper"))
    found = list(_deciphered(trees))
    assert not [d.error for _, d in found if d.error]
    names = [d.children[0].name for parent, d in found if parent.key == WRAPPER.PDU.key]
    assert {"get-request", "get-response", "action-request", "action-response"} <= set(names)
    assert len([d for parent, d in found if parent.key == ACSE.USER_INFORMATION.key]) == 2
