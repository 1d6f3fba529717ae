"""Reading attributes the way people ask for them: by OBIS code, scaled, in one round trip.

``read_values`` turns ``Target`` references into one GET-with-list. The class id comes
from the target, or from the association object list (the caller's ``classes`` map). A
register's value (class 3/4/5, attribute 2) is fetched together with its scaler_unit
(attribute 3) so it can be shown as "230.1 V". When the meter answers "object undefined"
we say which class was tried and where that guess came from, never the bare code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from workbench.protocol.apdu import AttributeDescriptor, DataAccessResult
from workbench.protocol.axdr import Data, DataType
from workbench.protocol.cosem import Obis, ScaledValue, obis_name
from workbench.session.targets import Target

__all__ = ["REGISTER_CLASSES", "Reading", "UnknownClass", "explain_failures", "read_values"]

REGISTER_CLASSES = frozenset({3, 4, 5})
"""Classes whose attribute 3 is scaler_unit for the value in attribute 2."""


class UnknownClass(LookupError):
    """No class id given and the OBIS code is not in the association object list."""

    def __init__(self, obis: Obis) -> None:
        super().__init__(f"{obis} is not in this association's object list, so its class "
                         "is unknown")
        self.obis = obis


class _Getter(Protocol):
    def get_many(self, descs: list[AttributeDescriptor]) -> list[Data | DataAccessResult]: ...


@dataclass(frozen=True)
class Reading:
    """One attribute as read: raw ``data`` or ``error`` text, and the scaled value if any."""

    target: Target
    class_id: int
    data: Data | None = None
    error: str | None = None
    result: DataAccessResult | None = None
    scaled: ScaledValue | None = None

    @property
    def name(self) -> str:
        return obis_name(self.target.obis) or ""

    @property
    def ok(self) -> bool:
        return self.data is not None

    @property
    def class_unclear(self) -> bool:
        """The meter did not find the object under the class we tried."""
        return self.result in _CLASS_RESULTS


_CLASS_RESULTS = (DataAccessResult.OBJECT_UNDEFINED, DataAccessResult.OBJECT_CLASS_INCONSISTENT)


def _scaler_unit(data: Data | DataAccessResult | None) -> tuple[int, int] | None:
    if not isinstance(data, Data) or data.type != DataType.STRUCTURE \
            or not isinstance(data.value, list | tuple) or len(data.value) != 2:
        return None
    scaler, unit = data.value
    if not isinstance(scaler, Data) or not isinstance(unit, Data) \
            or not isinstance(scaler.value, int) or not isinstance(unit.value, int):
        return None
    return scaler.value, unit.value


def _failure_text(target: Target, class_id: int, explicit: bool,
                  result: DataAccessResult, listed: int | None) -> str:
    text = f"the meter answered {result.describe()}"
    if result not in _CLASS_RESULTS:
        return text
    source = "as you gave it" if explicit else "from the object list"
    text = f"tried class {class_id} ({source}) for {target.obis} attribute {target.index}; " + text
    if explicit and listed is not None and listed != class_id:
        return text + f"; the object list says class {listed}, try {listed}/{target}"
    if listed is None:
        return text + "; the object is not in this association's object list (see `objects`)"
    return text + "; the cached object list may be stale, read it again with --refresh"


def explain_failures(readings: list[Reading], classes: Mapping[Obis, int]) -> list[Reading]:
    """Re-word class-related failures with the object list at hand (what it says instead)."""
    out = []
    for r in readings:
        if r.class_unclear and r.result is not None:
            text = _failure_text(r.target, r.class_id, r.target.class_id is not None, r.result,
                                 classes.get(r.target.obis))
            r = Reading(r.target, r.class_id, error=text, result=r.result)
        out.append(r)
    return out


def read_values(client: _Getter, targets: list[Target], classes: Mapping[Obis, int],
                scalers: dict[Obis, tuple[int, int]] | None = None) -> list[Reading]:
    """Read every target with GET-with-list (split by the client to fit its frames).

    Args:
        client: anything with ``get_many`` (a connected :class:`DlmsClient`).
        targets: what to read; ``class_id`` None is looked up in ``classes``.
        classes: OBIS → class id from the association object list.
        scalers: OBIS → (scaler, unit) already known; registers found there are read
            without their attribute 3, and new ones are added (scalers do not change).

    Raises:
        UnknownClass: a target has no class id and is not in ``classes``.
    """
    known = scalers if scalers is not None else {}
    resolved = []
    for target in targets:
        class_id = target.class_id if target.class_id is not None else classes.get(target.obis)
        if class_id is None:
            raise UnknownClass(target.obis)
        resolved.append(class_id)
    descs = [AttributeDescriptor(c, t.obis, t.index) for t, c in zip(targets, resolved,
                                                                     strict=True)]
    scaler_at: dict[int, int] = {}
    for i, (target, class_id) in enumerate(zip(targets, resolved, strict=True)):
        if class_id in REGISTER_CLASSES and target.index == 2 and target.obis not in known:
            scaler_at[i] = len(descs)
            descs.append(AttributeDescriptor(class_id, target.obis, 3))
    answers = client.get_many(descs)
    for i, at in scaler_at.items():
        su = _scaler_unit(answers[at])
        if su is not None:
            known[targets[i].obis] = su
    return [_reading(target, class_id, answers[i], classes, known)
            for i, (target, class_id) in enumerate(zip(targets, resolved, strict=True))]


def _reading(target: Target, class_id: int, answer: Data | DataAccessResult,
             classes: Mapping[Obis, int], scalers: Mapping[Obis, tuple[int, int]]) -> Reading:
    if isinstance(answer, DataAccessResult):
        text = _failure_text(target, class_id, target.class_id is not None, answer,
                             classes.get(target.obis))
        return Reading(target, class_id, error=text, result=answer)
    su = scalers.get(target.obis) if class_id in REGISTER_CLASSES and target.index == 2 \
        else None
    scaled = ScaledValue(answer.value, *su) if su is not None else None
    return Reading(target, class_id, data=answer, scaled=scaled)
