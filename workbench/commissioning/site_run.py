"""A whole site run: the meters of a site CSV read a few at a time, for ``workbench batch``
and the window's Site tab alike.

Each meter is :func:`~workbench.commissioning.visit.visit_meter` on its own connection,
through :func:`~workbench.commissioning.site.run_site`; on top, what a progress display or
a table of meters needs: each meter's current step as it happens, and one
:class:`MeterRow` per finished meter with the verdict, serial, clock drift or the
plain-language reason of its failure. Per meter the folder gets the readout JSON, the
capture of its connection (password masked) and, when asked, its report.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.session.client import DlmsClient
from workbench.session.errors import Cancelled

from .clock import drift_text
from .collect import CollectOptions
from .html import render_html
from .readout import Readout, readout_to_json
from .report import build_report
from .site import MeterOutcome, SiteMeter, meter_settings, run_site
from .visit import visit_meter

__all__ = ["MeterRow", "SiteOptions", "SiteRun"]

SERIAL_OBIS = "0-0:96.1.0.255"


@dataclass(frozen=True)
class SiteOptions:
    """How the site is read: ``jobs`` meters at once, results into ``folder``."""

    folder: Path
    jobs: int = 4
    days: int = 0
    report: bool = True
    timeout: float = 5.0
    retries: int = 3
    extra: tuple[str, ...] = ()  # more OBIS codes read from every meter (attribute 2)


@dataclass(frozen=True)
class MeterRow:
    """One meter's line of the Site table once it is finished (``ok``) or failed."""

    line: int
    ok: bool
    verdict: str = ""
    serial: str = ""
    clock: str = ""
    reason: str = ""
    hint: str = ""
    readout: Path | None = None
    report: Path | None = None
    capture: Path | None = None


class SiteRun:
    """One run over a site; :meth:`run` blocks (call it in a thread), :meth:`cancel` stops it.

    ``on_step(line, step)`` hears each meter's steps ("connecting", "clock" …) and
    ``on_done(row)`` each finished meter, both from the reading threads.
    """

    def __init__(self, meters: list[SiteMeter], options: SiteOptions,
                 on_step: Callable[[int, str], None],
                 on_done: Callable[[MeterRow], None]) -> None:
        self.meters, self.options = meters, options
        self._on_step, self._on_done = on_step, on_done
        self._cancel = threading.Event()
        self._clients: set[DlmsClient] = set()
        self._lock = threading.Lock()

    def run(self) -> list[MeterRow]:
        """Read every meter (``jobs`` at once); rows in the CSV's order."""
        self.options.folder.mkdir(parents=True, exist_ok=True)
        rows: dict[int, MeterRow] = {}

        def done(outcome: MeterOutcome) -> None:
            rows[outcome.meter.line] = row = self._row(outcome)
            self._on_done(row)

        run_site(self.meters, self._read, jobs=self.options.jobs, on_done=done,
                 cancel=self._cancel)
        return [rows[m.line] for m in self.meters]

    def cancel(self) -> None:
        """Stop now: meters not started are skipped, running connections are cancelled."""
        self._cancel.set()
        with self._lock:
            for client in self._clients:
                client.cancel()

    def _read(self, meter: SiteMeter, cancel: threading.Event) -> Readout:
        self._on_step(meter.line, "connecting")
        settings = meter_settings(meter, timeout=self.options.timeout,
                                  retries=self.options.retries)
        info = {"name": meter.name, "peer": settings.peer, "serial": meter.serial,
                "physical": settings.physical, "logical": settings.logical,
                "client": settings.client}
        options = CollectOptions(days=self.options.days, extra=self.options.extra,
                                 progress=lambda step: self._step(meter.line, step))
        readout = visit_meter(settings, info, options, self._path(meter, ".wbcap"),
                              started=self._track)
        if cancel.is_set():  # Cancel cut a section short: a partial readout is no result
            raise Cancelled("cancelled by the user")
        self._path(meter, ".readout.json").write_text(readout_to_json(readout),
                                                      encoding="utf-8")
        if self.options.report:
            self._path(meter, ".html").write_text(render_html(build_report(readout)),
                                                  encoding="utf-8")
        return readout

    def _step(self, line: int, step: str) -> None:
        """Announce a meter's next section, or stop it there once the run is cancelled (a
        section interrupted by Cancel is only recorded, so the next one must not start)."""
        if self._cancel.is_set():
            raise Cancelled("cancelled by the user")
        self._on_step(line, step)

    def _track(self, client: DlmsClient) -> None:
        with self._lock:
            self._clients.add(client)
        if self._cancel.is_set():
            client.cancel()

    def _path(self, meter: SiteMeter, suffix: str) -> Path:
        return self.options.folder / f"{meter.file_stem}{suffix}"

    def _row(self, outcome: MeterOutcome) -> MeterRow:
        meter, readout = outcome.meter, outcome.result
        if not isinstance(readout, Readout):
            capture = self._path(meter, ".wbcap")  # the frames of the failed attempt
            return MeterRow(meter.line, False, reason=outcome.error, hint=outcome.hint,
                            capture=capture if capture.is_file() else None)
        clock = readout.clock
        return MeterRow(
            meter.line, True, verdict=build_report(readout).verdict.value,
            serial=next((v.text for v in readout.identity if v.obis == SERIAL_OBIS), ""),
            clock=drift_text(clock.drift_s, clock.resolution_s) if clock else "not read",
            readout=self._path(meter, ".readout.json"),
            report=self._path(meter, ".html") if self.options.report else None,
            capture=self._path(meter, ".wbcap"))
