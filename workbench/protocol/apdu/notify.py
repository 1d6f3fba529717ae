"""Unsolicited and long-invoke-id APDUs: data-notification (0x0F, what a meter pushes from its
customer port), event-notification-request (0xC2) and access-request/-response (0xD9/0xDA).

Data-notification is ``long-invoke-id-and-priority`` (Unsigned32), ``date-time`` (an OCTET
STRING: empty, or the 12-byte COSEM date-time) and the notification body (one Data: the
structure of the push object list). The date-time is kept as sent, shown decoded.
Access-Request/-Response bodies (the list of access specifications) are named and shown as
bytes; their header is decoded.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.axdr import Data, encode_data, encode_length, stamp_in_octets
from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import DLMS, Cursor, uint

from . import names
from .common import AttributeDescriptor
from .parts import decode_descriptor, encode_descriptor, read_data

__all__ = [
    "AccessRequest",
    "AccessResponse",
    "DataNotification",
    "EventNotification",
    "LongInvokeIdAndPriority",
]


@dataclass(frozen=True, slots=True)
class LongInvokeIdAndPriority:
    """The 32-bit invoke id of data-notification and access: id in bits 0–23, then
    self-descriptive (28), processing option "break on error" (29), confirmed (30) and
    high priority (31)."""

    invoke_id: int = 1
    self_descriptive: bool = False
    break_on_error: bool = False
    confirmed: bool = False
    high_priority: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.invoke_id <= 0xFFFFFF:
            raise EncodeError(f"long invoke id {self.invoke_id} out of range 0–16777215")

    def to_int(self) -> int:
        return (self.invoke_id | self.self_descriptive << 28 | self.break_on_error << 29
                | self.confirmed << 30 | self.high_priority << 31)

    @classmethod
    def from_int(cls, value: int) -> LongInvokeIdAndPriority:
        """Reserved bits 24–27 are ignored."""
        return cls(value & 0xFFFFFF, bool(value >> 28 & 1), bool(value >> 29 & 1),
                   bool(value >> 30 & 1), bool(value >> 31 & 1))

    def __str__(self) -> str:
        flags = [name for name, on in (("self-descriptive", self.self_descriptive),
                                       ("break on error", self.break_on_error),
                                       ("confirmed", self.confirmed),
                                       ("high priority", self.high_priority)) if on]
        return f"id {self.invoke_id}" + "".join(f", {f}" for f in flags)


_LONG = LongInvokeIdAndPriority()


@dataclass(frozen=True, slots=True)
class DataNotification:
    """A push: ``body`` (the pushed structure), ``date_time`` as sent (b"" or 12 bytes)."""

    body: Data
    date_time: bytes = b""
    long_invoke: LongInvokeIdAndPriority = _LONG


@dataclass(frozen=True, slots=True)
class EventNotification:
    """An attribute's new value, sent unasked; ``time`` as sent, or None when absent."""

    descriptor: AttributeDescriptor
    value: Data
    time: bytes | None = None


@dataclass(frozen=True, slots=True)
class _Access:
    """Access-Request/-Response: header decoded; ``body`` (the list of access
    specifications and data, or of results) kept as bytes."""

    body: bytes
    date_time: bytes = b""
    long_invoke: LongInvokeIdAndPriority = _LONG


@dataclass(frozen=True, slots=True)
class AccessRequest(_Access):
    """access-request (0xD9)."""


@dataclass(frozen=True, slots=True)
class AccessResponse(_Access):
    """access-response (0xDA)."""


_ACCESS_TAGS: dict[type[_Access], int] = {AccessRequest: 0xD9, AccessResponse: 0xDA}


def _octets(raw: bytes) -> bytes:
    return encode_length(len(raw)) + raw


def _long_header(tag: int, long_invoke: LongInvokeIdAndPriority, date_time: bytes) -> bytes:
    return bytes([tag]) + uint(long_invoke.to_int(), 4, "long invoke id") + _octets(date_time)


def encode_data_notification(apdu: DataNotification) -> bytes:
    return _long_header(0x0F, apdu.long_invoke, apdu.date_time) + encode_data(apdu.body)


def encode_event_notification(apdu: EventNotification) -> bytes:
    time = b"\x00" if apdu.time is None else b"\x01" + _octets(apdu.time)
    return b"\xc2" + time + encode_descriptor(apdu.descriptor) + encode_data(apdu.value)


def encode_access(apdu: AccessRequest | AccessResponse) -> bytes:
    return _long_header(_ACCESS_TAGS[type(apdu)], apdu.long_invoke, apdu.date_time) + apdu.body


def _read_long_header(cur: Cursor) -> tuple[LongInvokeIdAndPriority, bytes]:
    cur.tag(names.APDU_TAGS)
    start = cur.pos
    cur.need(4, DLMS.LONG_INVOKE_ID.label)
    cur.pos += 4
    long_invoke = LongInvokeIdAndPriority.from_int(int.from_bytes(cur.buf[start:cur.pos], "big"))
    cur.note(DLMS.LONG_INVOKE_ID, start, str(long_invoke))
    return long_invoke, _read_time(cur)


def _read_time(cur: Cursor) -> bytes:
    """A date-time OCTET STRING, shown decoded when it reads as one."""
    start = cur.pos
    raw = cur.octets(DLMS.DATE_TIME)
    stamp = stamp_in_octets(raw)
    if cur.rec is not None:
        node = cur.rec.current.children[-1]
        node.value = "absent" if not raw else str(stamp) if stamp else node.value
    if stamp is not None and stamp.invalid:
        cur.warn(f"{stamp}; read as unspecified", start)
    return raw


def decode_data_notification(cur: Cursor) -> DataNotification:
    long_invoke, date_time = _read_long_header(cur)
    return DataNotification(read_data(cur, DLMS.NOTIFICATION_BODY), date_time, long_invoke)


def decode_event_notification(cur: Cursor) -> EventNotification:
    cur.tag(names.APDU_TAGS)
    time = _read_time(cur) if cur.present(DLMS.TIME_PRESENT, "time") else None
    desc = decode_descriptor(cur, AttributeDescriptor)
    return EventNotification(desc, read_data(cur, DLMS.ATTRIBUTE_VALUE), time)


def decode_access(cur: Cursor) -> AccessRequest | AccessResponse:
    request = cur.buf[cur.pos] == 0xD9
    long_invoke, date_time = _read_long_header(cur)
    body = cur.raw(cur.remaining, DLMS.ACCESS_BODY, lambda b: f"{len(b)} bytes (not decoded)")
    cls = AccessRequest if request else AccessResponse
    return cls(body, date_time, long_invoke)
