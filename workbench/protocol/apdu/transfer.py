"""APDUs that carry other APDUs: general-block-transfer (0xE0) and the gateway request and
response (0xE6/0xE7). Their headers are decoded; the carried bytes are shown as bytes (a
block is a slice of a longer APDU, and a gateway's APDU is for a device behind it).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.axdr import encode_length
from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import DLMS, GBT, Cursor, uint

from . import names

__all__ = ["GatewayApdu", "GeneralBlockTransfer"]


@dataclass(frozen=True, slots=True)
class GeneralBlockTransfer:
    """block-control (last-block, streaming, window 0–63), block-number, block-number-ack,
    block-data (a slice of the APDU being transferred)."""

    last_block: bool
    block_number: int
    block_number_ack: int
    block_data: bytes
    streaming: bool = False
    window: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.window <= 63:
            raise EncodeError(f"general-block-transfer window {self.window} out of range 0–63")


@dataclass(frozen=True, slots=True)
class GatewayApdu:
    """A gateway request (to the device at ``address`` on ``network_id``) or response."""

    response: bool
    network_id: int
    address: bytes
    apdu: bytes


def encode_transfer(apdu: GeneralBlockTransfer | GatewayApdu) -> bytes:
    if isinstance(apdu, GatewayApdu):
        return (bytes([0xE7 if apdu.response else 0xE6]) + uint(apdu.network_id, 1,
                "network id") + encode_length(len(apdu.address)) + apdu.address + apdu.apdu)
    control = apdu.last_block << 7 | apdu.streaming << 6 | apdu.window
    return (bytes([0xE0, control]) + uint(apdu.block_number, 2, "block number")
            + uint(apdu.block_number_ack, 2, "block number ack")
            + encode_length(len(apdu.block_data)) + apdu.block_data)


def decode_transfer(cur: Cursor) -> GeneralBlockTransfer | GatewayApdu:
    tag = cur.tag(names.APDU_TAGS)
    if tag in (0xE6, 0xE7):
        network = cur.u8(DLMS.NETWORK_ID)
        address = cur.octets(DLMS.PHYSICAL_ADDRESS)
        inner = cur.raw(cur.remaining, DLMS.INNER_APDU, _named)
        return GatewayApdu(tag == 0xE7, network, address, inner)
    control = cur.u8(GBT.BLOCK_CONTROL)
    if cur.rec is not None:
        cur.rec.current.children[-1].value = (
            f"0x{control:02X}: {'last' if control & 0x80 else 'not last'}, "
            f"{'streaming' if control & 0x40 else 'no streaming'}, window {control & 0x3F}")
    number, ack = cur.u16(GBT.BLOCK_NUMBER), cur.u16(GBT.BLOCK_NUMBER_ACK)
    data = cur.octets(GBT.BLOCK_DATA)
    return GeneralBlockTransfer(bool(control & 0x80), number, ack, data, bool(control & 0x40),
                                control & 0x3F)


def _named(raw: bytes) -> str:
    tag = names.APDU_TAGS.get(raw[0], "unknown APDU") if raw else "empty"
    return f"{len(raw)} bytes: {tag}"
