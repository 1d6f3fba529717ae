"""Block transfer (IEC 62056-5-3 §9.4.6 "long" services): joining the raw-data slices of a
value sent in numbered blocks, bounded and checked.

Why one assembler for every direction: a GET answer in datablocks (client side), a SET
sent in datablocks or ACTION parameters in pblocks (server side) are the same job — join
slices numbered 1, 2, 3 … until the one flagged last — and the same hostile cases: a peer
that never says "last" (a size cap, :data:`DEFAULT_MAX_TRANSFER`, adjustable), repeats or
skips a block (numbers must rise by exactly one), or sends empty blocks for ever (a block
that is not the last must carry bytes). Each case is a :class:`BlockTransferError` naming
the numbers, never a hang or an unbounded buffer.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.protocol.axdr import Data, decode_data, decode_length, time_warnings
from workbench.protocol.errors import DecodeError, LocalProtocolError
from workbench.protocol.fields import Cursor, Recorder

from .common import DataAccessResult, InvokeIdAndPriority
from .get import GetRequestNext, GetResponseWithDatablock
from .parts import decode_get_result

__all__ = [
    "DEFAULT_MAX_TRANSFER",
    "BlockAssembler",
    "BlockCollector",
    "BlockTransferError",
    "decode_result_list",
    "reassemble",
]

#: Default cap on the bytes of one block transfer: 16 MiB. A year of 15-minute rows with
#: eight values is about 2.5 MB, so no real profile comes near it.
DEFAULT_MAX_TRANSFER = 16 * 1024 * 1024


class BlockTransferError(DecodeError):
    """A block transfer the peer broke: wrong number, empty block, too large, after the end.

    Attributes:
        got: the block number received (or the size reached), in words.
        expected: what was expected, in words.
    """


class BlockAssembler:
    """Joins numbered raw-data slices; ``what`` names the transfer in errors ("GET-Response").

    ``first`` is the number the first block must carry (None: any, as some meters start
    at 0); later blocks must count up by one. ``max_size`` caps the joined bytes.
    """

    def __init__(self, what: str, *, max_size: int = DEFAULT_MAX_TRANSFER,
                 first: int | None = None) -> None:
        self.what = what
        self.max_size = max_size
        self._parts: list[bytes] = []
        self._next = first
        self.size = 0
        self.done = False

    @property
    def last_number(self) -> int:
        """Number of the last block accepted (0 before the first)."""
        return 0 if self._next is None else self._next - 1

    def add(self, number: int, raw: bytes, last: bool) -> None:
        """Accept one block.

        Raises:
            BlockTransferError: after the last block, out of sequence, an empty block that
                is not the last, or the joined size passing ``max_size``.
        """
        if self.done:
            raise self._error("block received after the transfer ended", f"block {number}",
                              None)
        if self._next is not None and number != self._next:
            raise self._error("data block out of sequence", f"block {number}",
                              f"block {self._next}")
        if not raw and not last:
            raise self._error("empty data block that is not the last", f"block {number}",
                              "at least one byte of raw-data")
        if self.size + len(raw) > self.max_size:
            raise self._error(f"block transfer larger than the {self.max_size}-byte limit",
                              f"{self.size + len(raw)} bytes by block {number}",
                              f"at most {self.max_size} bytes")
        self._parts.append(raw)
        self.size += len(raw)
        self._next, self.done = number + 1, last

    def joined(self) -> bytes:
        """The joined bytes so far (all of them once ``done``)."""
        return b"".join(self._parts)

    def _error(self, message: str, got: str, expected: str | None) -> BlockTransferError:
        return BlockTransferError(message, got=got, expected=expected, what=self.what)


class BlockCollector:
    """Sans-IO reassembly of a long GET answer sent as GET-Response-with-datablock.

    Feed each block response; ``feed`` returns the GET-Request-next to send, or None when
    the transfer ended (last block, or a data-access-result aborting it). Then ``result()``
    (GET-Request-normal) or ``results(count)`` (GET-Request-with-list) decodes the joined
    bytes once.
    """

    def __init__(self, invoke: InvokeIdAndPriority | None = None, *,
                 max_size: int = DEFAULT_MAX_TRANSFER) -> None:
        self._invoke = invoke or InvokeIdAndPriority()
        self._blocks = BlockAssembler("GET-Response-with-datablock", max_size=max_size)
        self._abort: DataAccessResult | None = None

    @property
    def size(self) -> int:
        """Bytes received so far (for progress display)."""
        return self._blocks.size

    @property
    def done(self) -> bool:
        return self._blocks.done

    def feed(self, block: GetResponseWithDatablock) -> GetRequestNext | None:
        """Take one block; return the request for the next one, or None when done.

        Raises:
            BlockTransferError: see :meth:`BlockAssembler.add`.
        """
        raw = block.raw
        if isinstance(raw, DataAccessResult):
            if self.done:
                self._blocks.add(block.block_number, b"", True)  # raises: after the end
            self._abort, self._blocks.done = raw, True
            return None
        self._blocks.add(block.block_number, raw, block.last_block)
        return None if block.last_block else GetRequestNext(block.block_number, self._invoke)

    def result(self, rec: Recorder | None = None, *, warnings: list[str] | None = None
               ) -> Data | DataAccessResult:
        """The reassembled value, or the data-access-result that aborted the transfer.

        ``warnings`` collects tolerated deviations, as in :func:`~.codec.decode_apdu`.

        Raises:
            LocalProtocolError: the transfer is not finished yet.
            DecodeError: the joined bytes are not exactly one A-XDR Data (offsets are
                positions in the joined value).
        """
        joined = self._finished()
        if isinstance(joined, DataAccessResult):
            return joined
        data, end = decode_data(joined, 0, rec)
        if end != len(joined):
            raise DecodeError("trailing bytes after the reassembled value", offset=end,
                              length=len(joined) - end, what="GET-Response-with-datablock")
        if warnings is not None:
            warnings.extend(f"GET-Response-with-datablock: {text}"
                            for text in time_warnings(data))
        return data

    def results(self, count: int, *, warnings: list[str] | None = None
                ) -> tuple[Data | DataAccessResult, ...]:
        """The reassembled answer to a GET-Request-with-list of ``count`` attributes.

        An aborted transfer gives its data-access-result for every attribute.

        Raises:
            LocalProtocolError: the transfer is not finished yet.
            DecodeError: not a list of ``count`` Get-Data-Results.
        """
        joined = self._finished()
        if isinstance(joined, DataAccessResult):
            return (joined,) * count
        return decode_result_list(joined, count, warnings=warnings)

    def _finished(self) -> bytes | DataAccessResult:
        if not self.done:
            raise LocalProtocolError("block transfer not finished: feed the remaining blocks")
        return self._abort if self._abort is not None else self._blocks.joined()


def decode_result_list(raw: bytes, count: int, *, warnings: list[str] | None = None
                       ) -> tuple[Data | DataAccessResult, ...]:
    """SEQUENCE OF Get-Data-Result as carried by the blocks of a with-list answer.

    Raises:
        DecodeError: malformed, trailing bytes, or a number of results other than ``count``.
    """
    what = "GET-Response-with-list (reassembled)"
    n, pos = decode_length(raw, 0, what="result count")
    if n != count:
        raise DecodeError("wrong number of results", offset=0, got=str(n),
                          expected=f"{count} (one per attribute asked)", what=what)
    cur = Cursor(raw, pos, what=what, warnings=warnings)
    results = tuple(decode_get_result(cur) for _ in range(n))
    cur.finish()
    return results


def reassemble(blocks: Iterable[GetResponseWithDatablock]) -> Data | DataAccessResult:
    """Reassemble a complete sequence of block responses (see :class:`BlockCollector`)."""
    collector = BlockCollector()
    for block in blocks:
        collector.feed(block)
    return collector.result()
