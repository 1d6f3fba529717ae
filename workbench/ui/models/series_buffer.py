"""Fixed-size ring buffer of (time, value) samples for one live-plot series (numpy, no Qt).

Why a ring: a meter polled every second for days must not grow memory without bound, and
the plot redraw needs the samples as two contiguous arrays, which a ring gives with at most
one concatenation. A gap (link down) is stored as a NaN sample, so a plot drawn with
``connect="finite"`` breaks the line there instead of interpolating across the outage.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SeriesBuffer"]


class SeriesBuffer:
    """The newest ``capacity`` samples of one series, oldest first."""

    def __init__(self, capacity: int = 86_400) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._t = np.empty(capacity, dtype=np.float64)
        self._v = np.empty(capacity, dtype=np.float64)
        self._next = 0  # where the next sample goes
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, t: float, value: float) -> None:
        """Add a sample (``value`` NaN marks a gap)."""
        self._t[self._next] = t
        self._v[self._next] = value
        self._next = (self._next + 1) % self.capacity
        self._size = min(self._size + 1, self.capacity)

    def mark_gap(self, t: float) -> None:
        """Break the line at ``t``; a second gap in a row adds nothing."""
        if self._size and not math.isnan(self._v[self._next - 1]):
            self.append(t, math.nan)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the times and values, oldest first."""
        if self._size < self.capacity:
            return self._t[:self._size].copy(), self._v[:self._size].copy()
        order = np.r_[self._next:self.capacity, 0:self._next]
        return self._t[order], self._v[order]

    def last(self) -> tuple[float, float] | None:
        """The newest sample (its value is NaN right after a gap), or None when empty."""
        if not self._size:
            return None
        i = self._next - 1
        return float(self._t[i]), float(self._v[i])

    def clear(self) -> None:
        self._next = self._size = 0
