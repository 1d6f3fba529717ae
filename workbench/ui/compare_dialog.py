"""Compare two readings in the window: what ``workbench compare`` prints, in a dialog.

Each side is a readout saved by a report or a site run (``*.readout.json``) or a capture
(``.wbcap``/``.pcapng``, read through the replay book's answers). The comparison is the
pure one of :mod:`workbench.commissioning.compare`; this module only shows and saves it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.commissioning.compare import Comparison, comparison_html, comparison_text

__all__ = ["FILE_FILTER", "CompareDialog"]

FILE_FILTER = "Readings (*.readout.json *.json *.wbcap *.pcapng);;All files (*)"


class CompareDialog(QDialog):
    """The comparison as text, with Save as HTML."""

    def __init__(self, parent: QWidget | None, comparison: Comparison) -> None:
        super().__init__(parent)
        self.comparison = comparison
        self.setWindowTitle("Compare readings")
        objects = (len(comparison.added) + len(comparison.removed)
                   + len(comparison.changed_objects))
        self.summary = QLabel("No differences." if comparison.identical else
                              f"{len(comparison.values)} value(s) and {objects} object(s) "
                              "differ.")
        self.text = QPlainTextEdit(comparison_text(comparison))
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setToolTip("A: before / reference; B: after / meter under test")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        save = QPushButton("Save as HTML…")
        save.setToolTip("Write this comparison as a self-contained HTML page")
        save.clicked.connect(self._ask_save)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.text, buttons):
            layout.addWidget(widget)
        self.resize(760, 480)

    def save_html(self, path: Path) -> None:
        path.write_text(comparison_html(self.comparison), encoding="utf-8")

    def _ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save comparison", "comparison.html",
                                              "HTML page (*.html)")
        if path:
            self.save_html(Path(path))
