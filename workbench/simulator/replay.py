"""A field capture turned back into a meter: ``workbench simulate --replay FILE``.

The capture's conversation (:mod:`.conversation`) becomes a *book* of answers keyed by the
meaning of each request, not its bytes:

* GET: class, OBIS, attribute and the selective access as the meter understood it — for
  a range, the restricting column, the two instants (any date-time encoding of the same
  instant matches; an unspecified deviation is meter time, UTC) and the chosen columns;
  for an entry selection, the four numbers. Items of a GET-with-list are booked one by one,
  so a later GET-normal of one of them is answered too, and the other way round. Answers
  that came in datablocks are booked whole and sent again in blocks of the new client's
  PDU size.
* SET: class, OBIS, attribute (the recorded result, whatever value is written now).
* ACTION: class, OBIS, method (the recorded result and return data).

A request not in the book is answered object-undefined (ACTION: object-undefined too) and
logged. HDLC framing, sequence numbers and addresses are the live link's own. The recorded
AARE's PDU size is the meter's; a masked password in the capture means any password is
accepted (said at start-up), a password recorded in clear must be given again.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from workbench.capture import load_capture
from workbench.protocol.apdu import (
    Aare,
    Aarq,
    ActionResult,
    AttributeDescriptor,
    DataAccessResult,
    InitiateResponse,
    MethodDescriptor,
    SelectiveAccess,
)
from workbench.protocol.axdr import Data
from workbench.simulator.config import MeterConfig
from workbench.simulator.conversation import Conversation, read_conversation
from workbench.simulator.objects import Ctx
from workbench.simulator.replay_book import (
    BookEntries,
    attribute_key,
    book_exchanges,
    get_key,
    method_key,
)

__all__ = ["ReplayBook", "ReplayMeter", "load_replay"]

log = logging.getLogger("workbench.simulator")

_MASK = 0x2A


@dataclass
class ReplayBook:
    """Everything a replayed meter knows, from one capture.

    Attributes:
        entries: the recorded answers by meaning (see the module notes).
        password: the LLS password recorded in clear; None when masked or absent.
        masked: the capture's password was masked (any password is accepted).
        client_sap, logical, physical: who talked to whom in the capture.
        max_pdu_size: the meter's PDU size from the recorded AARE.
        skipped: frames and requests the book could not use.
    """

    entries: BookEntries = field(default_factory=BookEntries)
    password: bytes | None = None
    masked: bool = False
    client_sap: int | None = None
    logical: int = 1
    physical: int | None = None
    max_pdu_size: int = 0xFFFF
    skipped: int = 0

    def describe(self, name: str) -> str:
        """One start-up line: what is replayed, for whom, and how passwords are treated."""
        counts = self.entries.counts()
        where = (f"physical {self.physical}, logical {self.logical}"
                 if self.physical is not None else f"logical {self.logical}")
        text = (f"replaying {name}: {sum(counts.values())} recorded answers "
                f"({counts['GET']} GET, {counts['SET']} SET, {counts['ACTION']} ACTION) "
                f"from client {self.client_sap} to {where}")
        if self.skipped:
            text += f"; {self.skipped} frames or requests could not be used"
        if self.masked:
            return text + "; the capture's password is masked: ANY password is accepted"
        if self.password is not None:
            return text + "; the password recorded in the capture is required"
        return text


def load_replay(path: str | Path) -> ReplayBook:
    """Read a .wbcap or .pcapng capture into a :class:`ReplayBook`.

    Raises:
        CaptureError: the file cannot be read or is not a capture (CaptureFormatError).
    """
    capture = load_capture(path)
    conversation = read_conversation((r.direction, r.raw) for r in capture.records)
    return _book(conversation)


def _book(conversation: Conversation) -> ReplayBook:
    book = ReplayBook(client_sap=conversation.client_sap, skipped=conversation.skipped)
    if conversation.server is not None:
        book.logical, book.physical = conversation.server.upper, conversation.server.lower
    for request, response in book_exchanges(conversation.exchanges, book.entries):
        _note_association(book, request, response)
    book.skipped += book.entries.skipped
    return book


def _note_association(book: ReplayBook, request: object, response: object) -> None:
    if isinstance(request, Aarq) and request.password is not None:
        book.masked = all(b == _MASK for b in request.password)
        book.password = None if book.masked else request.password
    if isinstance(response, Aare) and isinstance(response.user_information, InitiateResponse):
        book.max_pdu_size = response.user_information.max_pdu_size


class ReplayMeter:
    """The :class:`~workbench.simulator.handler.MeterModel` a replayed meter serves from."""

    def __init__(self, book: ReplayBook, config: MeterConfig) -> None:
        self.book, self._config = book, config

    @property
    def config(self) -> MeterConfig:
        return self._config

    def context(self, client_sap: int, management: bool) -> Ctx:
        return Ctx(time.time(), client_sap, management)

    def accepts_password(self, given: bytes | None) -> bool:
        expected = self.book.password
        if self.book.masked or expected is None:
            return True
        return given is not None and hmac.compare_digest(given, expected)

    def get(self, desc: AttributeDescriptor, access: SelectiveAccess | None,
            ctx: Ctx) -> Data | DataAccessResult:
        found = self.book.entries.gets.get(get_key(desc, access))
        if found is None:
            what = f"GET {_name(desc, 'attribute', desc.attribute)}"
            return self._missing(what + (f" with access selector {access.selector}"
                                         if access else ""))
        return found

    def set(self, desc: AttributeDescriptor, value: Data, ctx: Ctx) -> DataAccessResult:
        found = self.book.entries.sets.get(attribute_key(desc))
        if found is None:
            return self._missing(f"SET {_name(desc, 'attribute', desc.attribute)}")
        return found

    def action(self, desc: MethodDescriptor, param: Data | None,
               ctx: Ctx) -> tuple[ActionResult, Data | None]:
        found = self.book.entries.actions.get(method_key(desc))
        if found is None:
            self._missing(f"ACTION {_name(desc, 'method', desc.method)}")
            return ActionResult.OBJECT_UNDEFINED, None
        return found

    @staticmethod
    def _missing(what: str) -> DataAccessResult:
        log.warning("replay: no recorded answer for %s: answered object-undefined", what)
        return DataAccessResult.OBJECT_UNDEFINED


def _name(desc: AttributeDescriptor | MethodDescriptor, kind: str, index: int) -> str:
    return f"class {desc.class_id} {desc.obis} {kind} {index}"

