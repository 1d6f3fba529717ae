"""Requests that arrive in blocks: SET with datablocks, ACTION with parameter blocks.

A client splits a request into blocks when it is longer than the meter's
server-max-receive-pdu-size. The meter keeps the blocks until the last one, then decodes
the value(s) they carry. Block numbers must follow on exactly, and the whole transfer is
capped (:data:`MAX_TRANSFER`): a client that never says "last block" cannot fill memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from workbench.protocol.apdu import DataAccessResult
from workbench.protocol.axdr import Data, decode_data, decode_length
from workbench.protocol.errors import ProtocolError

__all__ = ["MAX_TRANSFER", "BlockTransfer", "decode_values"]

MAX_TRANSFER = 65_536
"""Bytes of block data one transfer may carry (far above any value this meter holds)."""

T = TypeVar("T")


@dataclass(slots=True)
class BlockTransfer(Generic[T]):
    """One transfer in progress: what it applies to, the next block number, the data.

    Attributes:
        targets: the attribute or method descriptors, in request order.
        with_list: the data starts with a count of values (the with-list variants).
        next_block: the block number the next block must carry.
    """

    targets: tuple[T, ...]
    with_list: bool
    next_block: int
    _parts: list[bytes] = field(default_factory=list)
    _size: int = 0

    def add(self, number: int, raw: bytes) -> DataAccessResult | None:
        """Take block ``number``; None when accepted, else why the transfer ends."""
        if number != self.next_block:
            return DataAccessResult.DATA_BLOCK_NUMBER_INVALID
        self._size += len(raw)
        if self._size > MAX_TRANSFER:
            return DataAccessResult.LONG_SET_ABORTED
        self._parts.append(raw)
        self.next_block += 1
        return None

    def values(self) -> list[Data] | None:
        """The values carried, one per target; None when the bytes do not say that."""
        values = decode_values(b"".join(self._parts), self.with_list)
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
