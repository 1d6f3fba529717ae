"""Longer jobs on the open session (the commissioning report), as values that cross threads.

Why one generic request instead of one per feature: a job such as the report is a sequence
of reads the window does not need to see one by one; it needs its steps (for a progress
bar), a way to stop it between steps, and its result. :class:`ClientJob` carries the
function to run in the session thread; :class:`Steps` is what that function reports its
steps to, and it is also where Cancel takes effect: once the user pressed Cancel (a new
epoch in the worker), the next step raises :class:`~workbench.session.errors.Cancelled`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbench.session.client import DlmsClient
from workbench.session.errors import Cancelled

__all__ = ["ClientJob", "JobProgress", "JobResult", "Steps"]


@dataclass(frozen=True)
class JobProgress:
    """One step of a running job: ``step`` is the step's name ("clock", "writing the PDF")."""

    doing: str
    step: str


@dataclass(frozen=True)
class JobResult:
    """How a job ended: ``result`` when it ran through, else ``error`` (or ``cancelled``)."""

    doing: str
    result: object | None = None
    error: str = ""
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.error and not self.cancelled


class Steps:
    """The progress callback a job is given: reports each step, stops a cancelled job."""

    def __init__(self, doing: str, epoch: int, current_epoch: Callable[[], int],
                 report: Callable[[JobProgress], None]) -> None:
        self._doing, self._epoch = doing, epoch
        self._current, self._report = current_epoch, report

    def __call__(self, step: str) -> None:
        """Announce ``step``.

        Raises:
            Cancelled: the user pressed Cancel or Disconnect since the job was sent.
        """
        if self._current() != self._epoch:
            raise Cancelled("cancelled by the user")
        self._report(JobProgress(self._doing, step))


@dataclass(frozen=True)
class ClientJob:
    """Run ``run(client, steps)`` in the session thread on the open connection.

    ``doing`` names the job in the status bar ("Writing the commissioning report").
    """

    doing: str
    run: Callable[[DlmsClient, Steps], object]
    epoch: int = 0
