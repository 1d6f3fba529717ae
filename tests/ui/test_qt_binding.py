"""Guards against a broken Qt binding release.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every void call
(``QLabel.setText``, ``QTimer.start``, model inserts ...). None is not immortal before
3.12, so a long session ends in "Fatal Python error: none_dealloc". We pin a release
without the bug; this test fails if a future pin brings it back.
"""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel


def test_void_calls_keep_the_reference_count_of_none(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("x")
        timer.start(1000)
    timer.stop()
    assert sys.getrefcount(None) - before > -100
