"""Read one meter for a commissioning visit: each section on its own, failures recorded.

Why sections fail alone: at a cabinet the engineer needs whatever the meter *can* give —
a meter whose event log is refused still has its clock checked and its values read — so
every section catches the session's typed errors and records them in ``Readout.errors``
in plain words, and only a lost association stops the rest.

What is read comes from the association's object list, not from a fixed catalogue, so any
meter is covered: identity data objects, instantaneous registers (D = 7), energy registers
(D = 8, read at the start and again at the end to check they only grow), the load profile
(1-0:99.1.0.255 or the first A = 1 profile) and the standard event log (0-0:99.98.x.255).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from workbench import __version__
from workbench.protocol.cosem import AttributeAccess, Obis, ObjectListEntry, obis_name
from workbench.session.association import AssociationInfo
from workbench.session.cache import ObjectCache
from workbench.session.client import DlmsClient
from workbench.session.errors import Cancelled, LinkLost, NotConnected, SessionError
from workbench.session.readings import Reading, read_values
from workbench.session.targets import Target

from .clock import check_clock, sync_clock
from .profile_table import read_events, read_profile_table
from .readout import ObjectInfo, Readout, Value
from .values import value_of

__all__ = ["CollectOptions", "association_summary", "collect_readout"]

IDENTITY = ("0-0:96.1.0.255", "0-0:42.0.0.255", "1-0:0.2.0.255", "1-1:0.2.0.255",
            "1-0:0.2.8.255", "0-0:96.1.1.255", "0-0:96.1.2.255", "0-0:96.1.3.255")
"""Serial number, logical device name, firmware identifiers and signatures, if listed."""
INSTANT_C = frozenset({1, 2, 3, 4, 9, 13, 14, 21, 22, 23, 24, 29, 31, 32, 33, 41, 42, 43, 44,
                       49, 51, 52, 53, 61, 62, 63, 64, 69, 71, 72, 73, 81, 90, 91})
REGISTER_CLASSES = frozenset({3, 4, 5})


@dataclass(frozen=True)
class CollectOptions:
    """What to read and how.

    Attributes:
        days: how many days of load profile and event log to check (0 skips them).
        sync_clock: write the PC's time into the meter after measuring the drift.
        note: the operator's note, kept in the readout.
        extra: more OBIS codes to read (attribute 2), e.g. from ``--read``.
        progress: told the name of each section as it starts.
    """

    days: int = 7
    sync_clock: bool = False
    note: str = ""
    extra: tuple[str, ...] = ()
    progress: Callable[[str], None] | None = None


def collect_readout(client: DlmsClient, meter: dict[str, object],
                    options: CollectOptions) -> Readout:
    """Read every section from a connected client; see the module docstring.

    Args:
        client: connected and associated.
        meter: how the meter was reached (name, host, port, serial, addresses), for the
            report's identity block.
    """
    readout = Readout(tool_version=__version__, created=_now_iso(), meter=dict(meter),
                      note=options.note)
    if client.info is not None:
        readout.association = association_summary(client.info)
        readout.warnings.extend(client.info.warnings)
    _Visit(client, readout, options).run()
    return readout


def association_summary(info: AssociationInfo) -> dict[str, object]:
    """What was negotiated, as plain data for the report."""
    link = info.link
    return {"client": info.client, "authenticated": info.authenticated,
            "max_pdu_size": info.max_pdu_size, "dlms_version": info.dlms_version,
            "max_info_tx": link.max_info_tx, "max_info_rx": link.max_info_rx,
            "window_tx": link.window_tx, "window_rx": link.window_rx,
            "describe": info.describe()}


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _error_text(exc: SessionError) -> str:
    hint = getattr(exc, "hint", "")
    return f"{exc} — {hint}" if hint else str(exc)


def _instant(entry: ObjectListEntry) -> bool:
    o = entry.obis
    return entry.class_id in REGISTER_CLASSES and o.a == 1 and o.d == 7 and o.c in INSTANT_C


def _energy(entry: ObjectListEntry) -> bool:
    o = entry.obis
    return entry.class_id == 3 and o.a == 1 and o.d == 8 and o.c in {1, 2, 3, 4, 9, 15, 16}


def access_text(entry: ObjectListEntry) -> str:
    """``"1:r 2:rw 3:-"``: attribute access in a form two readouts can be compared by."""
    def mode(access: AttributeAccess) -> str:
        text = ("r" if access.can_read else "") + ("w" if access.can_write else "")
        return text or "-"
    return " ".join(f"{index}:{mode(access)}"
                    for index, access in sorted(entry.attribute_access.items()))


class _Visit:
    """One pass over the sections, sharing the object list between them."""

    def __init__(self, client: DlmsClient, readout: Readout, options: CollectOptions) -> None:
        self.client = client
        self.readout = readout
        self.options = options
        self.listed: list[ObjectListEntry] = []

    def run(self) -> None:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("objects", self._objects), ("identity", self._identity), ("clock", self._clock),
            ("values", self._values), ("profile", self._profile), ("events", self._events),
            ("energies again", self._energies_again)]
        for name, step in steps:
            if self.options.progress is not None:
                self.options.progress(name)
            try:
                step()
            except (Cancelled, LinkLost, NotConnected) as exc:  # nothing more can be read
                self.readout.errors[name] = _error_text(exc)
                return
            except SessionError as exc:
                self.readout.errors[name] = _error_text(exc)

    def _read(self, entries: list[ObjectListEntry]) -> list[Value]:
        if not entries:
            return []
        targets = [Target(e.obis, 2, e.class_id) for e in entries]
        classes = {e.obis: e.class_id for e in entries}
        readings: list[Reading] = read_values(self.client, targets, classes)
        return [value_of(r) for r in readings]

    def _objects(self) -> None:
        try:
            self.listed = self.client.object_list()
        except Cancelled:
            raise
        except SessionError as exc:  # an imported or earlier list still serves the visit
            cache = ObjectCache()
            stored = cache.load(cache.key(self.client.settings))
            if stored is None:
                raise
            self.listed = stored
            self.readout.warnings.append(
                f"the meter did not send its object list ({_error_text(exc)}); the list "
                "stored for it (read earlier or imported) was used")
        self.readout.objects = [
            ObjectInfo(str(e.obis), e.class_id, e.version, obis_name(e.obis) or "",
                       access_text(e)) for e in self.listed]

    def _identity(self) -> None:
        wanted = {Obis.parse(text) for text in IDENTITY}
        listed = [e for e in self.listed if e.obis in wanted and e.class_id == 1]
        if not self.listed:  # no object list: the serial number is worth a try anyway
            listed = [ObjectListEntry(1, 0, Obis.parse(IDENTITY[0]), {}, {})]
        self.readout.identity = self._read(listed)

    def _clock(self) -> None:
        self.readout.clock = check_clock(self.client)
        if self.options.sync_clock:
            try:
                self.readout.clock = sync_clock(self.client)
            except SessionError as exc:  # the first measurement stays in the report
                self.readout.errors["clock sync"] = _error_text(exc)

    def _values(self) -> None:
        extra = {Obis.parse(t) for t in self.options.extra}
        chosen = [e for e in self.listed if _instant(e) or e.obis in extra]
        self.readout.values = self._read(chosen)
        self.readout.energies = self._read([e for e in self.listed if _energy(e)])

    def _energies_again(self) -> None:
        if self.readout.energies:
            time.sleep(1.0)  # let at least one register move on a loaded meter
            self.readout.energies_again = self._read([e for e in self.listed if _energy(e)])

    def _profile(self) -> None:
        profiles = [e.obis for e in self.listed if e.class_id == 7 and e.obis.a == 1]
        if self.options.days <= 0 or not profiles:
            return
        standard = Obis.parse("1-0:99.1.0.255")
        chosen = standard if standard in profiles else profiles[0]
        self.readout.profile = read_profile_table(self.client, chosen, self.options.days)

    def _events(self) -> None:
        log = next((e for e in self.listed if e.class_id == 7 and
                    (e.obis.a, e.obis.c, e.obis.d) == (0, 99, 98)), None)
        if self.options.days > 0 and log is not None:
            self.readout.events = read_events(self.client, log.obis, self.options.days)
