"""Requests sized to the meter: split a SET or an ACTION into the APDUs that fit the
server's ``server-max-receive-pdu-size`` (from the AARE's InitiateResponse).

Why: IEC 62056-5-3 lets a request longer than the server's PDU go only in blocks —
SET-Request-with-first-datablock then -with-datablock, ACTION-Request-with-first-pblock
then -with-pblock. Sent whole instead (and cut into HDLC segments), a meter with a small
buffer rejects or drops it. The planners are pure: the session sends the list in order.

What the meter answers (the session checks it):

* SET: SET-Response-datablock(n) after each block but the last, then
  SET-Response-last-datablock(result, n) — or one SET-Response-normal for a single request.
* ACTION: ACTION-Response-next-pblock(n) after each block but the last, then the method's
  ACTION-Response-normal (or its return value in ACTION-Response-with-pblock blocks, each
  asked for with ``ActionRequestNext``; join them with ``BlockAssembler``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.protocol.axdr import Data, encode_data, encode_length
from workbench.protocol.errors import EncodeError

from .action import (
    ActionRequestNormal,
    ActionRequestWithFirstPblock,
    ActionRequestWithPblock,
)
from .codec import encode_apdu
from .common import AttributeDescriptor, InvokeIdAndPriority, MethodDescriptor, SelectiveAccess
from .set import SetRequestNormal, SetRequestWithDatablock, SetRequestWithFirstDatablock

__all__ = ["plan_action", "plan_set"]

_INVOKE = InvokeIdAndPriority()
_Block = Callable[[bool, int, bytes], object]


def plan_set(descriptor: AttributeDescriptor, value: Data, *, max_pdu: int,
             access: SelectiveAccess | None = None, invoke: InvokeIdAndPriority = _INVOKE
             ) -> list[SetRequestNormal | SetRequestWithFirstDatablock | SetRequestWithDatablock]:
    """The SET-Request APDUs writing ``value``, each at most ``max_pdu`` bytes.

    One SET-Request-normal when it fits; else the value's A-XDR encoding in datablocks
    numbered from 1, the first carrying the descriptor (and ``access``).

    Raises:
        EncodeError: ``value`` cannot be encoded, or ``max_pdu`` leaves no room for data.
    """
    normal = SetRequestNormal(descriptor, value, access, invoke)
    if len(encode_apdu(normal)) <= max_pdu:
        return [normal]
    return _blocks(encode_data(value), max_pdu,
                   lambda last, n, raw: SetRequestWithFirstDatablock(descriptor, last, n, raw,
                                                                     access, invoke),
                   lambda last, n, raw: SetRequestWithDatablock(last, n, raw, invoke))


def plan_action(descriptor: MethodDescriptor, parameters: Data | None, *, max_pdu: int,
                invoke: InvokeIdAndPriority = _INVOKE
                ) -> list[ActionRequestNormal | ActionRequestWithFirstPblock
                          | ActionRequestWithPblock]:
    """The ACTION-Request APDUs invoking the method, each at most ``max_pdu`` bytes.

    One ACTION-Request-normal when it fits; else the parameters' A-XDR encoding in pblocks
    numbered from 1, the first carrying the method descriptor.

    Raises:
        EncodeError: the parameters cannot be encoded, or ``max_pdu`` leaves no room.
    """
    normal = ActionRequestNormal(descriptor, parameters, invoke)
    if len(encode_apdu(normal)) <= max_pdu or parameters is None:
        return [normal]
    return _blocks(encode_data(parameters), max_pdu,
                   lambda last, n, raw: ActionRequestWithFirstPblock(descriptor, last, n, raw,
                                                                     invoke),
                   lambda last, n, raw: ActionRequestWithPblock(last, n, raw, invoke))


def _blocks(raw: bytes, max_pdu: int, first: _Block, later: _Block) -> list[Any]:
    """Slice ``raw`` so that each block APDU, header included, fits ``max_pdu``."""
    out: list[Any] = []
    pos, number, make = 0, 1, first
    while pos < len(raw) or not out:
        room = _room(make, max_pdu)
        chunk = raw[pos:pos + room]
        pos += len(chunk)
        out.append(make(pos >= len(raw), number, chunk))
        number, make = number + 1, later
    return out


def _room(make: _Block, max_pdu: int) -> int:
    """Most raw-data bytes a block APDU built by ``make`` can carry within ``max_pdu``."""
    header = len(encode_apdu(make(False, 1, b""))) - 1  # minus the length byte of b""
    room = max_pdu - header - 1
    while room > 0 and header + len(encode_length(room)) + room > max_pdu:
        room -= 1
    if room < 1:
        raise EncodeError(f"server-max-receive-pdu-size {max_pdu} leaves no room for data "
                          f"after a {header}-byte block header")
    return room
