"""The simulated meter: a Microstar-like DLMS/COSEM meter over TCP, for the bench and tests.

``MeterServer(MeterConfig(...)).start()`` serves the simulated :class:`Meter`; with
``model=ReplayMeter(load_replay(path), config)`` it answers from a field capture instead.
Faults (:mod:`.faults`) break frames on purpose; quirks (:mod:`.quirks`) reproduce real
meters' deviations. This package is the public face; the CLI is ``workbench simulate``.
"""

from .config import DEFAULT_PASSWORD, MeterConfig
from .faults import FAULT_HELP, Fault, FaultError, parse_fault
from .meter import Meter
from .quirks import QUIRK_HELP, QUIRKS, QuirkError, parse_quirk
from .replay import ReplayBook, ReplayMeter, load_replay
from .server import MeterServer

__all__ = [
    "DEFAULT_PASSWORD",
    "FAULT_HELP",
    "QUIRKS",
    "QUIRK_HELP",
    "Fault",
    "FaultError",
    "Meter",
    "MeterConfig",
    "MeterServer",
    "QuirkError",
    "ReplayBook",
    "ReplayMeter",
    "load_replay",
    "parse_fault",
    "parse_quirk",
]
