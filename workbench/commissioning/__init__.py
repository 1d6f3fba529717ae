"""The commissioning visit: read a meter, check it, report it, compare it, do a whole site.

Built on the session (it drives a connected :class:`~workbench.session.client.DlmsClient`)
and pure otherwise: a :class:`Readout` is plain data that is saved as JSON and can be
checked, reported and compared again at the desk, weeks later.

* ``readout``      — the data read from one meter, and its JSON form;
* ``collect``      — reading a meter section by section (a failed section is recorded);
* ``checks``       — plausibility verdicts (pass / warn / fail, thresholds stated);
* ``completeness`` — load profile intervals expected vs present, gaps, duplicates, flags;
* ``report`` / ``html`` / ``charts`` — the commissioning report as self-contained HTML;
* ``compare``      — two readouts side by side (object lists and values);
* ``visit``        — one meter: connect, collect, disconnect, frames to a capture;
* ``site``         — a whole cabinet from a CSV, several meters at once.
"""

from __future__ import annotations

from .checks import Check, Limits, Status, run_checks
from .collect import CollectOptions, collect_readout
from .completeness import Completeness, profile_completeness
from .html import render_html
from .readout import Readout, ReadoutError, readout_from_json, readout_to_json
from .report import Report, build_report, report_json
from .visit import visit_meter

__all__ = [
    "Check",
    "CollectOptions",
    "Completeness",
    "Limits",
    "Readout",
    "ReadoutError",
    "Report",
    "Status",
    "build_report",
    "collect_readout",
    "profile_completeness",
    "readout_from_json",
    "readout_to_json",
    "render_html",
    "report_json",
    "run_checks",
    "visit_meter",
]
