"""Fuzz every reader of untrusted bytes with 10^6 inputs; print what came out.

    .venv/bin/python bench/fuzz.py                      # 1,000,000 inputs, seed 1
    .venv/bin/python bench/fuzz.py --inputs 200000 --seed 7

The targets (HDLC frame reader and frame decoder, APDU decoder with and without recording,
A-XDR decode + formatting, the dissector, the password masker, the client and server link
state machines, the .wbcap and pcapng readers) and the input generator (random bytes and
mutated valid frames, APDUs, A-XDR and capture files) are the ones of
``tests/fuzz/targets.py``; the suite runs a few thousand of the same inputs on every test
run. Printed: inputs per target, untyped exceptions (must be 0; the first of each kind is
shown as a hex reproducer), the slowest single input, and the process's peak memory.
Timings are a machine's, not a pass/fail bar.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fuzz.targets

from tests.fuzz.targets import TARGETS, Target, inputs

_BATCH = 1_000


def fuzz(target: Target, count: int, seed: int) -> dict[str, object]:
    """Run ``count`` inputs through ``target``; return its tally."""
    rng = random.Random(f"{seed}-{target.name}")
    untyped: Counter[str] = Counter()
    first: dict[str, str] = {}
    slowest = (0.0, b"")
    started = time.perf_counter()
    for done in range(0, count, _BATCH):
        for data in inputs(target, rng, min(_BATCH, count - done)):
            t0 = time.perf_counter()
            try:
                target.run(data)
            except target.allowed:
                pass
            except Exception as exc:
                kind = f"{type(exc).__name__}: {str(exc)[:80]}"
                untyped[kind] += 1
                first.setdefault(kind, data.hex())
            spent = time.perf_counter() - t0
            if spent > slowest[0]:
                slowest = (spent, data)
    return {"untyped": untyped, "first": first, "slowest": slowest,
            "seconds": time.perf_counter() - started}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=1_000_000, help="total inputs")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    per_target = -(-args.inputs // len(TARGETS))
    total_untyped, worst = 0, (0.0, "", b"")
    print(f"{'target':<14} {'inputs':>9} {'untyped':>8} {'seconds':>8} {'slowest ms':>11}")
    for target in TARGETS:
        tally = fuzz(target, per_target, args.seed)
        untyped: Counter[str] = tally["untyped"]  # type: ignore[assignment]
        spent, data = tally["slowest"]  # type: ignore[misc]
        total_untyped += sum(untyped.values())
        print(f"{target.name:<14} {per_target:>9,} {sum(untyped.values()):>8} "
              f"{tally['seconds']:>8.1f} {spent * 1000:>11.2f}")
        for kind, reproducer in tally["first"].items():  # type: ignore[attr-defined]
            print(f"    {untyped[kind]}x {kind}\n      input: {reproducer}")
        if spent > worst[0]:
            worst = (spent, target.name, data)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\ninputs: {per_target * len(TARGETS):,}   untyped exceptions: {total_untyped}")
    print(f"slowest input: {worst[0] * 1000:.2f} ms ({worst[1]}, {len(worst[2])} bytes: "
          f"{worst[2][:48].hex()}{'…' if len(worst[2]) > 48 else ''})")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    return 1 if total_untyped else 0


if __name__ == "__main__":
    sys.exit(main())
