"""Seeded, bounded fuzzing of every reader of untrusted bytes: only typed errors come out.

A few thousand inputs per reader, the same ones on every run (the seed is fixed), so a
failure reproduces; ``bench/fuzz.py`` runs the same targets over 10^6 inputs. A failure
prints the input as hex and the exception, ready to paste into a regression test.
"""

from __future__ import annotations

import random

import pytest

from tests.fuzz.targets import TARGETS, Target, inputs

INPUTS_PER_TARGET = 3_000
SEED = 20_261_125


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_only_typed_errors(target: Target):
    rng = random.Random(f"{SEED}-{target.name}")
    untyped = []
    for data in inputs(target, rng, INPUTS_PER_TARGET):
        try:
            target.run(data)
        except target.allowed:
            pass
        except Exception as exc:
            untyped.append(f"{data.hex()}: {type(exc).__name__}: {exc}")
    assert not untyped, f"{len(untyped)} untyped exceptions, first: {untyped[:3]}"


def test_the_inputs_are_the_same_on_every_run():
    target = TARGETS[0]
    first = inputs(target, random.Random(SEED), 50)
    assert first == inputs(target, random.Random(SEED), 50)
    assert len(set(first)) > 40  # and they vary
