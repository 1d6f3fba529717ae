"""Help → User guide (F1) and Keyboard shortcuts: short, in the window's own words."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

__all__ = ["GUIDE_HTML", "show_guide", "show_shortcuts"]

GUIDE_HTML = """
<h3>DLMS Workbench in five steps</h3>
<ol>
<li><b>Connect.</b> In the Connection panel type the Host and Port (Microstar: 3333) and the
meter's Serial: its last 4 digits are the HDLC physical address. Client 16 reads without a
password; clients 32 and 1 need the LLS password and may write. Press <i>Connect</i>
(Ctrl+K).</li>
<li><b>Watch the state line</b> at the bottom: TCP → HDLC → Association, with the attempt
number while retrying. The idle countdown shows when the meter would drop a silent link and
when the keepalive (a clock read) prevents it. <i>Disconnect</i> or <i>Cancel</i> (Esc) stops
whatever runs.</li>
<li><b>If it fails</b>, the message stays above the tabs with what to try and a
<i>Retry</i> button. A silent meter usually means a wrong physical address: press
<i>Probe</i> to try the likely addresses and clients.</li>
<li><b>Read.</b> The Objects tab lists what the meter offers; select an object and press
<i>Read all</i> (Ctrl+R) or select an attribute and press F5. Registers can be plotted in
the Live values tab; profiles and the event log open in the Profile tab.</li>
<li><b>Keep the evidence.</b> Every frame is in the frame log (click a field to see its
bytes) and every session is recorded to disk with the password masked. File → Save capture
keeps a copy to send to a colleague.</li>
</ol>
<p>The Meter box shows what the meter said: its serial, its clock and drift (re-read at
every keepalive), the link sizes agreed, its idle time-out and any deviation from the
standard that was tolerated. Meter → Sync meter clock sets its clock to this PC's time.</p>
"""


def _text_dialog(parent: QWidget | None, title: str, html: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    view = QTextBrowser()
    view.setHtml(html)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(view)
    layout.addWidget(buttons)
    dialog.resize(dialog.fontMetrics().averageCharWidth() * 90,
                  dialog.fontMetrics().height() * 30)
    dialog.open()
    return dialog


def show_guide(parent: QWidget | None) -> QDialog:
    return _text_dialog(parent, "User guide", GUIDE_HTML)


def show_shortcuts(parent: QWidget | None, rows: list[tuple[str, str]]) -> QDialog:
    table = "".join(f"<tr><td><b>{keys}</b></td><td>{command}</td></tr>" for keys, command in rows)
    return _text_dialog(parent, "Keyboard shortcuts",
                        f"<table cellspacing='6'>{table}</table>")
