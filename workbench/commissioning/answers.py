"""A readout rebuilt from recorded answers, so a field capture can be compared too.

A capture holds the meter's answers, not a readout; the simulator's replay book already
sorts them by meaning (class, OBIS, attribute). From those this module rebuilds what a
readout would have said: the object list, identity strings, register values scaled by
their recorded scaler_unit, and the meter clock as it was sent (no drift: the PC's time at
the read is not known precisely from a capture).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from workbench import __version__
from workbench.capture import CAPTURE_SUFFIXES, CaptureError, load_capture
from workbench.protocol.axdr import Data, as_datetime
from workbench.protocol.cosem import (
    Obis,
    ScaledValue,
    obis_name,
    parse_object_list,
)
from workbench.protocol.errors import ProtocolError
from workbench.session.readings import Reading
from workbench.session.targets import Target
from workbench.simulator import load_replay

from .collect import IDENTITY, access_text
from .readout import ClockCheck, ObjectInfo, Readout, ReadoutError, readout_from_json
from .values import value_of

__all__ = ["Answers", "read_reading", "readout_from_answers", "readout_from_capture"]

Answers = Mapping[tuple[int, str, int], Data]
"""(class id, OBIS text, attribute) → the Data the meter answered."""

_OBJECT_LIST = (15, "0-0:40.0.0.255", 2)
_CLOCK = (8, "0-0:1.0.0.255", 2)
_REGISTERS = frozenset({3, 4, 5})


def _reading(answers: Answers, class_id: int, obis: str, data: Data) -> Reading:
    target = Target(Obis.parse(obis), 2, class_id)
    scaled = None
    scaler = answers.get((class_id, obis, 4 if class_id == 5 else 3))
    if class_id in _REGISTERS and scaler is not None:
        try:
            scaled = ScaledValue.from_data(data, scaler)
        except ProtocolError:
            scaled = None
    return Reading(target, class_id, data=data, scaled=scaled)


def readout_from_answers(answers: Answers, created: float, meter: dict[str, object],
                         skipped: int = 0) -> Readout:
    """What the recorded answers say, as a readout (values in the order of the object list)."""
    readout = Readout(tool_version=__version__, meter=dict(meter),
                      created=dt.datetime.fromtimestamp(created, dt.UTC)
                      .isoformat(timespec="seconds"))
    if skipped:
        readout.warnings.append(f"{skipped} frames or requests of the capture could not be used")
    listed = answers.get(_OBJECT_LIST)
    if listed is not None:
        try:
            entries = parse_object_list(listed)
        except ProtocolError as exc:
            readout.errors["objects"] = f"the recorded object list could not be read: {exc}"
        else:
            readout.objects = [ObjectInfo(str(e.obis), e.class_id, e.version,
                                          obis_name(e.obis) or "", access_text(e))
                               for e in entries]
    for (class_id, obis, attribute), data in sorted(answers.items()):
        if attribute != 2 or not isinstance(data, Data):
            continue
        value = value_of(_reading(answers, class_id, obis, data))
        if class_id == 1 and obis in IDENTITY:
            readout.identity.append(value)
        elif class_id in _REGISTERS:
            (readout.energies if ".8." in obis else readout.values).append(value)
    clock = answers.get(_CLOCK)
    if isinstance(clock, Data):
        readout.clock = _clock(clock, readout.created)
    return readout


def _clock(data: Data, created: str) -> ClockCheck | None:
    try:
        meter = as_datetime(data).to_datetime()
    except (ProtocolError, ValueError):
        return None
    return ClockCheck(meter.isoformat(timespec="seconds"), created, 0.0, None, 1.0)


def readout_from_capture(path: Path) -> Readout:
    """A capture's recorded answers as a readout (see the module docstring).

    Raises:
        CaptureError: the file cannot be read or is not a capture.
    """
    book = load_replay(path)
    created = load_capture(path).header.created
    answers = {key[:3]: data for key, data in book.entries.gets.items()
               if key[3] is None and isinstance(data, Data)}
    meter: dict[str, object] = {"name": path.name, "physical": book.physical,
                                "logical": book.logical, "client": book.client_sap}
    return readout_from_answers(answers, created, meter, book.skipped)


def read_reading(path: Path) -> Readout:
    """A saved readout (``*.readout.json``) or a capture (by its name), for comparing.

    Raises:
        ReadoutError: the file cannot be read, or is neither; the message names the file.
    """
    try:
        if path.suffix.lower() in CAPTURE_SUFFIXES:
            return readout_from_capture(path)
        return readout_from_json(path.read_bytes(), str(path))
    except OSError as exc:
        raise ReadoutError(f"cannot read {path}: {exc.strerror or exc}") from None
    except CaptureError as exc:
        raise ReadoutError(f"{path}: {exc}") from None
