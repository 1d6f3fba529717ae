"""Plausibility checks of a readout, each stated as pass / warn / fail with its numbers.

Why these checks: they are what an engineer does by eye on site — is the voltage near
nominal, the frequency right, the power factor sensible, do P, Q and S agree, does the
current go with the power, do the energy registers only grow, is the clock on time — made
explicit, with the threshold written next to the verdict so a reader can disagree with it.
Everything is computed from the readout alone (pure), so a saved readout can be re-checked
with other limits at the desk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from .readout import Readout, Value

__all__ = ["Check", "Limits", "Status", "run_checks"]


class Status(Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "not checked"


@dataclass(frozen=True)
class Check:
    """One verdict: what was checked, the verdict, and the numbers behind it."""

    section: str
    name: str
    status: Status
    detail: str


@dataclass(frozen=True)
class Limits:
    """The thresholds; defaults suit a 230 V / 50 Hz low-voltage network.

    Attributes:
        nominal_voltage, voltage_band: a voltage outside nominal ± band (fraction) fails;
            outside half the band warns.
        frequency, frequency_band: nominal frequency (Hz) and allowed deviation (Hz).
        min_power_factor: below this warns (|PF| is compared).
        apparent_tolerance: |S| may differ from √(P² + Q²) by this fraction.
        current_tolerance: Σ U·I may differ from |S| by this fraction.
        max_drift_s: clock drift beyond this fails (half of it warns).
    """

    nominal_voltage: float = 230.0
    voltage_band: float = 0.10
    frequency: float = 50.0
    frequency_band: float = 0.5
    min_power_factor: float = 0.5
    apparent_tolerance: float = 0.05
    current_tolerance: float = 0.10
    max_drift_s: float = 10.0


def _by_c(values: list[Value], c: int) -> list[Value]:
    """Numeric values whose OBIS C group is ``c`` (1-b:c.7.e.f)."""
    out = []
    for v in values:
        parts = v.obis.replace(":", ".").replace("-", ".").split(".")
        if len(parts) >= 4 and parts[2] == str(c) and v.number is not None:
            out.append(v)
    return out


def _sum(values: list[Value], c: int) -> float | None:
    found = _by_c(values, c)
    return sum(v.number for v in found if v.number is not None) if found else None


def _voltages(readout: Readout, limits: Limits) -> list[Check]:
    checks = []
    band = limits.nominal_voltage * limits.voltage_band
    for v in [*_by_c(readout.values, 32), *_by_c(readout.values, 52), *_by_c(readout.values, 72)]:
        off = abs((v.number or 0.0) - limits.nominal_voltage)
        status = Status.FAIL if off > band else Status.WARN if off > band / 2 else Status.PASS
        checks.append(Check("values", f"{v.name or v.obis}", status,
                            f"{v.text}; allowed {limits.nominal_voltage:g} V ± {band:g} V"))
    return checks


def _frequency(readout: Readout, limits: Limits) -> list[Check]:
    checks = []
    for v in _by_c(readout.values, 14):
        off = abs((v.number or 0.0) - limits.frequency)
        status = Status.FAIL if off > limits.frequency_band else Status.PASS
        checks.append(Check("values", "Frequency", status,
                            f"{v.text}; allowed {limits.frequency:g} ± "
                            f"{limits.frequency_band:g} Hz"))
    return checks


def _power_factor(readout: Readout, limits: Limits) -> list[Check]:
    checks = []
    for v in _by_c(readout.values, 13):
        pf = abs(v.number or 0.0)
        if pf > 1.0001:
            status, why = Status.FAIL, "a power factor cannot exceed 1"
        elif pf < limits.min_power_factor:
            status, why = Status.WARN, f"below {limits.min_power_factor:g}"
        else:
            status, why = Status.PASS, f"within {limits.min_power_factor:g}..1"
        checks.append(Check("values", "Power factor", status, f"{v.text}; {why}"))
    return checks


def _power_triangle(readout: Readout, limits: Limits) -> list[Check]:
    p = _signed(readout, 1, 2)
    q = _signed(readout, 3, 4)
    s = _sum(readout.values, 9)
    if p is None or q is None or s is None:
        return [Check("values", "|S|² ≈ P² + Q²", Status.SKIP,
                      "the meter did not give all of P, Q and S")]
    expected = math.hypot(p, q)
    off = abs(abs(s) - expected) / max(abs(s), expected, 1.0)
    status = Status.PASS if off <= limits.apparent_tolerance else Status.FAIL
    return [Check("values", "|S|² ≈ P² + Q²", status,
                  f"S = {s:,.1f} VA, √(P² + Q²) = {expected:,.1f} VA "
                  f"({off:.1%} apart, allowed {limits.apparent_tolerance:.0%})")]


def _signed(readout: Readout, import_c: int, export_c: int) -> float | None:
    imported, exported = _sum(readout.values, import_c), _sum(readout.values, export_c)
    if imported is None and exported is None:
        return None
    return (imported or 0.0) - (exported or 0.0)


def _current(readout: Readout, limits: Limits) -> list[Check]:
    pairs = [(32, 31), (52, 51), (72, 71)]
    total = 0.0
    found = False
    for u_c, i_c in pairs:
        u, i = _sum(readout.values, u_c), _sum(readout.values, i_c)
        if u is not None and i is not None:
            total += u * i
            found = True
    s = _sum(readout.values, 9)
    if not found or s is None:
        return [Check("values", "Current vs power", Status.SKIP,
                      "the meter did not give voltages, currents and S")]
    off = abs(total - abs(s)) / max(abs(s), total, 1.0)
    status = Status.PASS if off <= limits.current_tolerance else Status.WARN
    return [Check("values", "Current vs power", status,
                  f"Σ U·I = {total:,.1f} VA, S = {abs(s):,.1f} VA ({off:.1%} apart, allowed "
                  f"{limits.current_tolerance:.0%})")]


def _energies(readout: Readout) -> list[Check]:
    if not readout.energies or not readout.energies_again:
        return [Check("energies", "Registers only grow", Status.SKIP,
                      "the energy registers were not read twice")]
    later = {v.key: v for v in readout.energies_again}
    checks = []
    for first in readout.energies:
        second = later.get(first.key)
        if second is None or first.number is None or second.number is None:
            continue
        delta = second.number - first.number
        status = Status.FAIL if delta < 0 else Status.PASS
        checks.append(Check("energies", f"{first.name or first.obis} only grows", status,
                            f"{first.text} → {second.text} ({delta:+,.3f} {first.unit})"))
    return checks


def _clock(readout: Readout, limits: Limits) -> list[Check]:
    clock = readout.clock
    if clock is None or clock.drift_s is None:
        return [Check("clock", "Clock drift", Status.FAIL if clock else Status.SKIP,
                      "the meter's clock is not set" if clock else "the clock was not read")]
    drift = clock.drift_after_s if clock.synced and clock.drift_after_s is not None \
        else clock.drift_s
    magnitude = abs(drift)
    status = (Status.FAIL if magnitude > limits.max_drift_s
              else Status.WARN if magnitude > max(limits.max_drift_s / 2, clock.resolution_s)
              else Status.PASS)
    when = "after the sync" if clock.synced else "now"
    return [Check("clock", "Clock drift", status,
                  f"{drift:+.1f} s {when} (± {clock.resolution_s:.1f} s; allowed "
                  f"± {limits.max_drift_s:g} s)")]


def run_checks(readout: Readout, limits: Limits | None = None) -> list[Check]:
    """Every check that the readout has the data for; SKIP says why one could not run."""
    limits = limits or Limits()
    return [*_clock(readout, limits), *_voltages(readout, limits),
            *_frequency(readout, limits), *_power_factor(readout, limits),
            *_power_triangle(readout, limits), *_current(readout, limits),
            *_energies(readout)]
