"""Deterministic electrical quantities for the simulated meter.

Why closed forms: every quantity is a sum of sine waves whose phases and levels come from
the seed, so a value depends only on ``(seed, meter time)``. Energies are the exact
integrals of the powers, so a register read, a load-profile row from 59 days ago and a
demand average all agree without the simulator ever stepping through time.

The meter measures import and export on separate quadrants (think of a house with a small
generator): ``P+``/``P-`` and ``Q+``/``Q-`` are each non-negative and smooth; the net
``P = P+ - P-`` and ``Q = Q+ - Q-`` give ``S = sqrt(P² + Q²)`` and ``PF = |P| / S``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

__all__ = ["ENERGY_EPOCH", "Energies", "MeasurementModel", "Measurements", "Supply"]

#: Energies count from 2020-01-01 00:00 UTC (plus a seeded starting reading).
ENERGY_EPOCH = 1_577_836_800.0

_DAY = 86_400.0
#: Periods of the waves: a daily load curve, an hourly swing and a fast wiggle that makes
#: live plots move within seconds.
_PERIODS = (_DAY, 3_600.0, 97.0)


@dataclass(frozen=True, slots=True)
class _Wave:
    """``base + Σ amplitude·sin(2πt/period + phase)``, with its exact integral."""

    base: float
    terms: tuple[tuple[float, float, float], ...]  # (amplitude, omega, phase)

    def at(self, t: float) -> float:
        return self.base + sum(a * math.sin(w * t + p) for a, w, p in self.terms)

    def integral(self, t0: float, t1: float) -> float:
        """∫ from t0 to t1 in value·seconds."""
        swing = sum(a / w * (math.cos(w * t0 + p) - math.cos(w * t1 + p))
                    for a, w, p in self.terms)
        return self.base * (t1 - t0) + swing


def _wave(rng: random.Random, base: float, *amplitudes: float, spread: float = 0.15) -> _Wave:
    """A wave around ``base`` (scaled by ±``spread`` from the seed) with random phases."""
    scale = rng.uniform(1 - spread, 1 + spread)
    terms = tuple((amp * scale, 2 * math.pi / period, rng.uniform(0, 2 * math.pi))
                  for amp, period in zip(amplitudes, _PERIODS, strict=False))
    return _Wave(base * scale, terms)


@dataclass(frozen=True, slots=True)
class Measurements:
    """Instantaneous values in SI units (V, A, Hz, W, var, VA; power factor 0..1)."""

    voltage: float
    current: float
    frequency: float
    p_import: float
    p_export: float
    q_import: float
    q_export: float
    apparent: float
    power_factor: float


@dataclass(frozen=True, slots=True)
class Energies:
    """Cumulative energies in Wh / varh: A+, A-, R+, R- (OBIS 1.8.0 .. 4.8.0)."""

    a_import: float
    a_export: float
    r_import: float
    r_export: float

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.a_import, self.a_export, self.r_import, self.r_export)


class MeasurementModel:
    """Values as a pure function of ``(seed, t)``; ``t`` is meter time in epoch seconds."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"measurements:{seed}")
        self.voltage = _wave(rng, 230.0, 2.5, 1.0, 0.4, spread=0.005)
        self.frequency = _wave(rng, 50.0, 0.02, 0.01, 0.005, spread=0.0)
        self.p_import = _wave(rng, 1200.0, 600.0, 250.0, 80.0)
        self.p_export = _wave(rng, 60.0, 40.0, 12.0, 4.0)
        self.q_import = _wave(rng, 300.0, 150.0, 40.0, 15.0)
        self.q_export = _wave(rng, 25.0, 12.0, 6.0, 2.0)
        self.initial = tuple(rng.uniform(1e6, 5e6) * k for k in (1.0, 0.05, 0.25, 0.02))

    def sample(self, t: float) -> Measurements:
        """Instantaneous values at meter time ``t``."""
        p_imp, p_exp = self.p_import.at(t), self.p_export.at(t)
        q_imp, q_exp = self.q_import.at(t), self.q_export.at(t)
        voltage = self.voltage.at(t)
        apparent = math.hypot(p_imp - p_exp, q_imp - q_exp)
        return Measurements(
            voltage=voltage, current=apparent / voltage, frequency=self.frequency.at(t),
            p_import=p_imp, p_export=p_exp, q_import=q_imp, q_export=q_exp,
            apparent=apparent, power_factor=abs(p_imp - p_exp) / apparent)

    def energy_between(self, t0: float, t1: float) -> Energies:
        """Energy flowing from ``t0`` to ``t1`` (Wh), assuming the supply was on."""
        waves = (self.p_import, self.p_export, self.q_import, self.q_export)
        return Energies(*(w.integral(t0, t1) / 3600.0 for w in waves))

    def energies(self, t: float) -> Energies:
        """Register readings at ``t`` if the supply had never been cut."""
        flowed = self.energy_between(ENERGY_EPOCH, t).as_tuple()
        return Energies(*(start + e for start, e in zip(self.initial, flowed, strict=True)))


class Supply:
    """The disconnector's history: while it is open, current, power and energy flow stop.

    Intervals are kept in meter time; energies subtract what would have flowed during them,
    so they stay consistent with the (zero) power read while disconnected.
    """

    def __init__(self, model: MeasurementModel) -> None:
        self.model = model
        self._cuts: list[tuple[float, float | None]] = []

    @property
    def connected(self) -> bool:
        return not self._cuts or self._cuts[-1][1] is not None

    def disconnect(self, t: float) -> None:
        if self.connected:
            self._cuts.append((t, None))

    def reconnect(self, t: float) -> None:
        if not self.connected:
            start, _ = self._cuts[-1]
            self._cuts[-1] = (start, max(t, start))

    def sample(self, t: float) -> Measurements:
        """Measurements at ``t``: voltage and frequency stay, current and power drop to 0."""
        m = self.model.sample(t)
        if self.connected:
            return m
        return Measurements(m.voltage, 0.0, m.frequency, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)

    def energies(self, t: float) -> Energies:
        """Register readings at ``t``, minus the energy that did not flow while cut."""
        total = list(self.model.energies(t).as_tuple())
        for start, end in self._cuts:
            lo, hi = min(start, t), min(t if end is None else end, t)
            if hi > lo:
                missed = self.model.energy_between(lo, hi).as_tuple()
                total = [a - b for a, b in zip(total, missed, strict=True)]
        return Energies(*total)
