"""The commissioning report from the window: the same document as ``workbench report``,
read over the connection that is already open (Qt-free but for the PDF writer).

Why the open connection and not a new one: the engineer is connected and looking at the
meter; a second association could be refused (many meters allow one client at a time) and
would not be the session the frame log shows. The window records every connection to a
capture as it happens; the report ties itself to those frames by copying that recording,
as it stands when the last section is read, beside the report and printing the copy's
SHA-256 in the footer. The copy is taken in the session thread, which is the only writer
of the recording, so no frame can land half-written in it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.commissioning import (
    CollectOptions,
    Readout,
    Report,
    build_report,
    collect_readout,
    readout_to_json,
    render_html,
)
from workbench.commissioning.visit import file_sha256
from workbench.session.client import DlmsClient

__all__ = ["REPORT_STEPS", "ReportFiles", "ReportOrder", "run_report"]

REPORT_STEPS = ("objects", "identity", "clock", "values", "profile", "events",
                "energies again", "saving the recording", "writing the HTML",
                "writing the PDF")
"""Every step the progress callback is told, in order (the collect sections first)."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ReportOrder:
    """What the engineer asked for in the report dialog.

    Attributes:
        folder: where the HTML, PDF, readout JSON and the recording's copy go.
        name: the meter's name in the report title and the file names (site, bay).
        serial: the serial as the engineer knows it (the meter's own is read too).
        recording: the capture this connection is being recorded to, or None.
    """

    folder: Path
    note: str = ""
    days: int = 7
    sync_clock: bool = False
    name: str = ""
    serial: str = ""
    recording: Path | None = None


@dataclass(frozen=True)
class ReportFiles:
    """What was written, and the verdict to show beside the links."""

    html: Path
    pdf: Path
    readout: Path
    capture: Path | None
    sha256: str
    title: str
    verdict: str


def file_stem(order: ReportOrder, readout: Readout) -> str:
    """``report-<name or serial>``: the name the engineer gave, else the meter's serial."""
    serial = next((v.text for v in readout.identity if v.obis == "0-0:96.1.0.255"), "")
    label = order.name or serial or order.serial or "meter"
    return "report-" + (re.sub(r"[^\w.-]+", "_", label).strip("_") or "meter")


def run_report(order: ReportOrder, client: DlmsClient, progress: Progress) -> ReportFiles:
    """Read every section over ``client``, then write HTML, PDF and readout to the folder.

    ``progress`` is told each step of :data:`REPORT_STEPS`; it may raise (the window's
    Cancel does) to stop between steps.

    Raises:
        OSError: the folder or a file cannot be written.
        SessionError: the association was lost before anything could be read.
    """
    s = client.settings
    meter = {"name": order.name, "peer": s.peer, "serial": order.serial,
             "physical": s.physical, "logical": s.logical, "client": s.client}
    options = CollectOptions(days=order.days, sync_clock=order.sync_clock, note=order.note,
                             progress=progress)
    readout = collect_readout(client, meter, options)
    order.folder.mkdir(parents=True, exist_ok=True)
    stem = file_stem(order, readout)
    progress("saving the recording")
    capture = _copy_recording(order.recording, order.folder / f"{stem}.wbcap")
    if capture is not None:
        readout.capture = {"path": str(capture), "sha256": file_sha256(capture)}
    return _write(build_report(readout), order.folder / stem, capture, progress)


def _copy_recording(recording: Path | None, target: Path) -> Path | None:
    """The connection's recording as it stands now, copied to ``target`` (None: no
    recording is running, so the report says no capture was written)."""
    if recording is None or not recording.is_file():
        return None
    shutil.copyfile(recording, target)
    return target


def _write(report: Report, base: Path, capture: Path | None,
           progress: Progress) -> ReportFiles:
    from workbench.ui.report_pdf import write_pdf  # Qt: only once the reading is done

    html, pdf, readout = (Path(f"{base}{s}") for s in (".html", ".pdf", ".readout.json"))
    progress("writing the HTML")
    html.write_text(render_html(report), encoding="utf-8")
    readout.write_text(readout_to_json(report.readout), encoding="utf-8")
    progress("writing the PDF")
    write_pdf(report, pdf)
    return ReportFiles(html, pdf, readout, capture, report.readout.capture.get("sha256", ""),
                       report.title, report.verdict.value)
