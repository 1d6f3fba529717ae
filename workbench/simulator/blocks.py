"""Requests that arrive in blocks: SET with datablocks, ACTION with parameter blocks.

A client splits a request into blocks when it is longer than the meter's
server-max-receive-pdu-size. The meter keeps the blocks until the last one, then decodes
the value(s) they carry. The joining itself is the protocol core's
:class:`~workbench.protocol.apdu.BlockAssembler` (numbers rising by one, no empty block
before the last, a size cap); this module turns its refusals into the data-access-result
a meter answers, and caps a transfer at :data:`MAX_TRANSFER` so a client that never says
"last block" cannot fill memory.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from workbench.protocol.apdu import BlockAssembler, BlockTransferError, DataAccessResult
from workbench.protocol.axdr import Data, decode_data, decode_length
from workbench.protocol.errors import ProtocolError

__all__ = ["MAX_TRANSFER", "BlockTransfer", "decode_values"]

MAX_TRANSFER = 65_536
"""Bytes of block data one transfer may carry (far above any value this meter holds)."""

T = TypeVar("T")


class BlockTransfer(Generic[T]):
    """One transfer in progress: what it applies to and the blocks so far.

    Args:
        targets: the attribute or method descriptors, in request order.
        with_list: the data starts with a count of values (the with-list variants).
        first_block: the number the first block carries.
        what: the service, for the assembler's messages.
    """

    def __init__(self, targets: tuple[T, ...], with_list: bool, first_block: int,
                 what: str) -> None:
        self.targets, self.with_list = targets, with_list
        self._blocks = BlockAssembler(what, max_size=MAX_TRANSFER, first=first_block)

    @property
    def next_block(self) -> int:
        return self._blocks.last_number + 1

    def add(self, number: int, raw: bytes, last: bool) -> DataAccessResult | None:
        """Take block ``number``; None when accepted, else why the transfer ends."""
        if number != self.next_block:
            return DataAccessResult.DATA_BLOCK_NUMBER_INVALID
        try:
            self._blocks.add(number, raw, last)
        except BlockTransferError:  # too large, or an empty block before the last
            return DataAccessResult.LONG_SET_ABORTED
        return None

    def values(self) -> list[Data] | None:
        """The values carried, one per target; None when the bytes do not say that."""
        values = decode_values(self._blocks.joined(), self.with_list)
        return values if values is not None and len(values) == len(self.targets) else None


def decode_values(raw: bytes, with_list: bool) -> list[Data] | None:
    """The value(s) a block-wise request carried; None when the bytes are not A-XDR."""
    try:
        count, pos = decode_length(raw, 0) if with_list else (1, 0)
        values = []
        for _ in range(min(count, len(raw))):  # each value takes at least one byte
            value, pos = decode_data(raw, pos)
            values.append(value)
    except ProtocolError:
        return None
    return values if pos == len(raw) and len(values) == count else None
