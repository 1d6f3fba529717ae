"""Quirk modes: deviations of real meters reproduced on purpose, so the client's tolerance
can be tested without foreign servers.

Each quirk has one clear meaning that a tolerant client can still read (the standard wins
in what *we* send; these exist to prove we accept what others send). They are chosen by
name (``--quirk NAME``, repeatable) and stored in :attr:`MeterConfig.quirks`.
"""

from __future__ import annotations

import dataclasses

from workbench.protocol.hdlc import FrameKind, decode_frame, encode_frame

__all__ = [
    "ACTION_NO_OPTIONAL",
    "INVALID_DATETIME",
    "QUIRKS",
    "QUIRK_HELP",
    "SMALL_PDU",
    "SMALL_PDU_SIZE",
    "UA_GROUP_LENGTH_ZERO",
    "QuirkError",
    "bad_event_time",
    "bad_profile_time",
    "parse_quirk",
    "zero_ua_group_length",
]

UA_GROUP_LENGTH_ZERO = "ua-group-length-zero"
INVALID_DATETIME = "invalid-datetime"
ACTION_NO_OPTIONAL = "action-no-optional"
SMALL_PDU = "small-pdu"

#: server-max-receive-pdu-size announced under the ``small-pdu`` quirk.
SMALL_PDU_SIZE = 256

#: A date-time field never set: every byte 00 (year 0, month 0, day 0, weekday 0).
NEVER_SET = bytes(12)
#: Under ``invalid-datetime``, the load-profile row captured at this quarter of each day
#: (10:00 meter time) carries :data:`NEVER_SET` instead of its capture time.
BAD_PROFILE_QUARTER = 40
_QUARTER = 900

QUIRKS: dict[str, str] = {
    UA_GROUP_LENGTH_ZERO: "UA parameter group length 00 (the gurux-dlms 1.0.203 server's bug)",
    INVALID_DATETIME: "never-set/out-of-range date-times in some profile rows and events",
    ACTION_NO_OPTIONAL: "ACTION-Response without the OPTIONAL byte (C7 01 C1 01, as gurux)",
    SMALL_PDU: f"server-max-receive-pdu-size {SMALL_PDU_SIZE}: SET/ACTION must use blocks",
}

QUIRK_HELP = "quirk NAMEs (repeat --quirk to combine; each is a real meter's deviation):\n" + \
    "".join(f"  {name:<22} {text}\n" for name, text in QUIRKS.items())


class QuirkError(ValueError):
    """A quirk name the simulator does not know; the message lists the known ones."""


def parse_quirk(name: str) -> str:
    """The quirk ``name`` checked against :data:`QUIRKS`.

    Raises:
        QuirkError: unknown name.
    """
    name = name.strip()
    if name not in QUIRKS:
        raise QuirkError(f"unknown quirk '{name}'; known quirks: {', '.join(QUIRKS)}")
    return name


def zero_ua_group_length(frame: bytes) -> bytes:
    """A UA carrying parameters rewritten with group length 00 (checks recomputed);
    any other frame unchanged."""
    decoded = decode_frame(frame)
    if decoded.kind is not FrameKind.UA or decoded.info[:2] != b"\x81\x80":
        return frame
    info = decoded.info[:2] + b"\x00" + decoded.info[3:]
    return encode_frame(dataclasses.replace(decoded, info=info))


def bad_profile_time(t: float, valid: bytes) -> bytes:
    """The clock column of the load-profile row captured at ``t`` (``valid`` when honest).

    Under ``invalid-datetime``, one row a day (:data:`BAD_PROFILE_QUARTER`) is never set.
    """
    return NEVER_SET if int(t) // _QUARTER % 96 == BAD_PROFILE_QUARTER else valid


def bad_event_time(index: int, valid: bytes) -> bytes:
    """The time of event ``index`` under ``invalid-datetime``: events 1, 4, 7... carry a
    deviation of +900 minutes (the standard allows -720..720), events 2, 5, 8... day 0 and
    weekday 0; the others are ``valid``."""
    if index % 3 == 1:
        return valid[:9] + (900).to_bytes(2, "big") + valid[11:]
    if index % 3 == 2:
        return valid[:3] + b"\x00\x00" + valid[5:]
    return valid
