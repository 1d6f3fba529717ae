"""The answers of a capture, booked by the meaning of each request (see :mod:`.replay`).

Each recorded exchange is decoded with the protocol core; what cannot be decoded, and a
GET answered in datablocks whose blocks do not join, is counted as skipped and left out.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import astuple, dataclass, field

from workbench.protocol.apdu import (
    ActionOutcome,
    ActionRequestNormal,
    ActionRequestWithList,
    ActionResponseNormal,
    ActionResponseWithList,
    ActionResult,
    AttributeDescriptor,
    BlockCollector,
    DataAccessResult,
    GetRequestNext,
    GetRequestNormal,
    GetRequestWithList,
    GetResponseNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
    MethodDescriptor,
    SelectiveAccess,
    SetRequestNormal,
    SetRequestWithFirstDatablock,
    SetRequestWithList,
    SetRequestWithListAndFirstDatablock,
    SetResponseLastDatablock,
    SetResponseLastDatablockWithList,
    SetResponseNormal,
    SetResponseWithList,
    decode_apdu,
)
from workbench.protocol.axdr import Data, encode_data
from workbench.protocol.errors import ProtocolError
from workbench.simulator.conversation import Exchange
from workbench.simulator.selection import (
    BY_ENTRY,
    BY_RANGE,
    SelectionError,
    parse_entry,
    parse_range,
)

__all__ = ["BookEntries", "access_key", "attribute_key", "book_exchanges", "get_key",
           "method_key"]

AttributeKey = tuple[int, str, int]
_SetRequest = (SetRequestNormal | SetRequestWithList | SetRequestWithFirstDatablock
               | SetRequestWithListAndFirstDatablock)
_SET_WITH_LIST = (SetRequestWithList, SetRequestWithListAndFirstDatablock)
GetKey = tuple[int, str, int, Hashable]


@dataclass
class BookEntries:
    """Recorded answers: GET results by (class, OBIS, attribute, access meaning), SET results
    by (class, OBIS, attribute), ACTION outcomes by (class, OBIS, method)."""

    gets: dict[GetKey, Data | DataAccessResult] = field(default_factory=dict)
    sets: dict[AttributeKey, DataAccessResult] = field(default_factory=dict)
    actions: dict[AttributeKey, tuple[ActionResult, Data | None]] = field(default_factory=dict)
    skipped: int = 0

    def counts(self) -> dict[str, int]:
        return {"GET": len(self.gets), "SET": len(self.sets), "ACTION": len(self.actions)}


def access_key(access: SelectiveAccess | None) -> Hashable:
    """What a selective access means, so that two encodings of it compare equal."""
    if access is None:
        return None
    try:
        if access.selector == BY_RANGE:
            return ("range", *astuple(parse_range(access.parameters)))
        if access.selector == BY_ENTRY:
            return ("entry", *parse_entry(access.parameters))
    except SelectionError:
        pass
    return ("raw", access.selector, encode_data(access.parameters))


def attribute_key(desc: AttributeDescriptor) -> AttributeKey:
    return desc.class_id, str(desc.obis), desc.attribute


def method_key(desc: MethodDescriptor) -> AttributeKey:
    return desc.class_id, str(desc.obis), desc.method


def get_key(desc: AttributeDescriptor, access: SelectiveAccess | None) -> GetKey:
    return (*attribute_key(desc), access_key(access))


class _LongGet:
    """A GET answered in datablocks, followed across GET-Request-next exchanges."""

    def __init__(self, keys: list[GetKey], with_list: bool) -> None:
        self.keys, self.with_list = keys, with_list
        self.collector = BlockCollector()

    def feed(self, block: GetResponseWithDatablock, entries: BookEntries) -> bool:
        """Take a block; True while more blocks are expected."""
        self.collector.feed(block)
        if not self.collector.done:
            return True
        results = (self.collector.results(len(self.keys)) if self.with_list
                   else (self.collector.result(),))
        entries.gets.update(zip(self.keys, results, strict=True))
        return False


def book_exchanges(exchanges: Iterable[Exchange],
                   entries: BookEntries) -> Iterator[tuple[object, object]]:
    """Book each exchange's answer in ``entries``; yield every decoded (request, response)."""
    state = _Booking(entries)
    for exchange in exchanges:
        try:
            request = decode_apdu(exchange.request)
            response = None if exchange.response is None else decode_apdu(exchange.response)
            state.book(request, response)
        except (ProtocolError, ValueError):
            entries.skipped += 1
            state.long_get = None
            continue
        yield request, response


class _Booking:
    """Booking state across exchanges: a long GET or block-wise SET in progress."""

    def __init__(self, entries: BookEntries) -> None:
        self.entries = entries
        self.long_get: _LongGet | None = None
        self.set_keys: list[AttributeKey] = []

    def book(self, request: object, response: object) -> None:
        if isinstance(response, GetResponseWithDatablock):
            self._block(request, response)
        elif isinstance(request, GetRequestNormal | GetRequestWithList):
            self._get(request, response)
        elif isinstance(request, SetRequestNormal | SetRequestWithList
                        | SetRequestWithFirstDatablock | SetRequestWithListAndFirstDatablock):
            self._set(request, response)
        elif isinstance(response, SetResponseLastDatablock | SetResponseLastDatablockWithList):
            self._set_results(response)
        elif isinstance(request, ActionRequestNormal | ActionRequestWithList):
            self._action(request, response)

    def _block(self, request: object, block: GetResponseWithDatablock) -> None:
        if isinstance(request, GetRequestNormal):
            self.long_get = _LongGet([get_key(request.descriptor, request.access)], False)
        elif isinstance(request, GetRequestWithList):
            self.long_get = _LongGet(_list_keys(request), True)
        elif not isinstance(request, GetRequestNext) or self.long_get is None:
            return
        if not self.long_get.feed(block, self.entries):
            self.long_get = None

    def _get(self, request: GetRequestNormal | GetRequestWithList, response: object) -> None:
        if isinstance(request, GetRequestNormal) and isinstance(response, GetResponseNormal):
            self.entries.gets[get_key(request.descriptor, request.access)] = response.result
        elif isinstance(request, GetRequestWithList) and isinstance(response,
                                                                    GetResponseWithList):
            self.entries.gets.update(zip(_list_keys(request), response.results, strict=False))

    def _set(self, request: _SetRequest, response: object) -> None:
        descriptors = (request.descriptors if isinstance(request, _SET_WITH_LIST)
                       else (request.descriptor,))
        self.set_keys = [attribute_key(d) for d in descriptors]
        if isinstance(response, SetResponseNormal):
            self.entries.sets[self.set_keys[0]] = response.result
        elif isinstance(response, SetResponseWithList):
            self.entries.sets.update(zip(self.set_keys, response.results, strict=False))
        else:
            self._set_results(response)

    def _set_results(self, response: object) -> None:
        if isinstance(response, SetResponseLastDatablock) and self.set_keys:
            self.entries.sets[self.set_keys[0]] = response.result
        elif isinstance(response, SetResponseLastDatablockWithList):
            self.entries.sets.update(zip(self.set_keys, response.results, strict=False))

    def _action(self, request: ActionRequestNormal | ActionRequestWithList,
                response: object) -> None:
        if isinstance(request, ActionRequestNormal) and isinstance(response,
                                                                   ActionResponseNormal):
            outcomes = [(request.descriptor, ActionOutcome(response.result,
                                                           response.return_value))]
        elif isinstance(request, ActionRequestWithList) and isinstance(response,
                                                                       ActionResponseWithList):
            outcomes = list(zip(request.descriptors, response.results, strict=False))
        else:
            return
        for desc, outcome in outcomes:
            value = outcome.return_value if isinstance(outcome.return_value, Data) else None
            self.entries.actions[method_key(desc)] = (outcome.result, value)


def _list_keys(request: GetRequestWithList) -> list[GetKey]:
    access = request.access or (None,) * len(request.descriptors)
    return [get_key(d, a) for d, a in zip(request.descriptors, access, strict=True)]
