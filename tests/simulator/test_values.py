"""The value model: physically consistent, smooth, and a pure function of (seed, time)."""

from __future__ import annotations

import itertools
import math

from workbench.simulator.values import MeasurementModel, Supply

T0 = 1_780_000_000.0


def test_apparent_power_is_consistent() -> None:
    model = MeasurementModel(5)
    for k in range(50):
        m = model.sample(T0 + 977 * k)
        p, q = m.p_import - m.p_export, m.q_import - m.q_export
        assert math.isclose(m.apparent**2, p**2 + q**2, rel_tol=1e-9)
        assert math.isclose(m.current * m.voltage, m.apparent, rel_tol=1e-9)
        assert 0 < m.power_factor <= 1
        assert 225 < m.voltage < 235 and 49.9 < m.frequency < 50.1


def test_energy_is_the_integral_of_power() -> None:
    model = MeasurementModel(5)
    step, t = 1.0, T0
    numeric = sum(model.sample(t + step * (i + 0.5)).p_import * step for i in range(900)) / 3600
    exact = model.energies(t + 900).a_import - model.energies(t).a_import
    assert math.isclose(numeric, exact, rel_tol=1e-4)


def test_values_vary_smoothly_and_energies_increase() -> None:
    model = MeasurementModel(1)
    powers = [model.sample(T0 + s).p_import for s in range(0, 60)]
    assert max(abs(a - b) for a, b in itertools.pairwise(powers)) < 20
    assert len({round(p) for p in powers}) > 5
    readings = [model.energies(T0 + 900 * k).as_tuple() for k in range(20)]
    for column in zip(*readings, strict=True):
        assert list(column) == sorted(column)


def test_same_seed_same_values() -> None:
    assert MeasurementModel(9).sample(T0) == MeasurementModel(9).sample(T0)
    assert MeasurementModel(9).sample(T0) != MeasurementModel(10).sample(T0)


def test_disconnection_stops_power_and_energy() -> None:
    supply = Supply(MeasurementModel(2))
    supply.disconnect(T0)
    assert supply.sample(T0 + 10).current == 0 and supply.sample(T0 + 10).p_import == 0
    frozen = supply.energies(T0 + 600)
    assert math.isclose(frozen.a_import, supply.energies(T0).a_import)
    supply.reconnect(T0 + 600)
    assert supply.sample(T0 + 700).current > 0
    assert supply.energies(T0 + 700).a_import > frozen.a_import
