"""The connection panel's link and security rows: which wire (TCP, the IEC 62056-47
wrapper, a serial line, an optical probe) and which authentication (none, LLS, HLS-GMAC).

Why a section of its own: these rows come and go with the choices (a serial port and its
baud rate only for serial lines; a system title and two keys only for HLS), and they map
onto :class:`~workbench.session.settings.ConnectionSettings` fields the rest of the form
does not touch. The keys are typed into masked fields, live in :class:`~workbench.security.Key`
objects from there on, and are remembered only in the OS keyring (:mod:`workbench.ui.key_store`);
the profile file gets the transport, device, baud, authentication and system title only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from workbench.security import Key, SystemTitle
from workbench.session.credentials import HLS_CLIENT, HlsCredentials
from workbench.session.settings import PUBLIC_CLIENT
from workbench.session.transports import SERIAL_BAUDS, WRAPPER_PORT
from workbench.transport.serial import SerialPortInfo, available_ports

__all__ = ["AUTHS", "TRANSPORTS", "LinkSection"]

TRANSPORTS = (("tcp", "TCP (HDLC)"), ("wrapper", "TCP wrapper (IEC 62056-47)"),
              ("serial", "Serial line (HDLC)"), ("optical", "Optical probe (IEC 62056-21)"))
AUTHS = (("none", "None (public client)"), ("lls", "LLS password"),
         ("hls", "HLS-GMAC with ciphering"))
HDLC_PORT = 3333
DEFAULT_TITLE = "4D4D4D0000BC614E"
"""An example client system title (manufacturer "MMM", serial 12345678): the meter may
require its own list's title."""


class LinkSection(QObject):
    """Owns the rows; the panel places them in its form with the two ``add_*`` calls."""

    changed = Signal()

    def __init__(self, port_spin: QSpinBox, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._port = port_spin
        self._form: QFormLayout | None = None
        self._build_transport()
        self._build_auth()

    # ------------------------------------------------------------------ widgets
    def _build_transport(self) -> None:
        self.transport_combo = _combo(TRANSPORTS, "How the PC reaches the meter: raw TCP "
                                      "(Microstar, port 3333), the IEC wrapper (port 4059), "
                                      "a serial line or an optical probe")
        self.transport_combo.currentIndexChanged.connect(self._on_transport)
        self.device_combo = QComboBox()
        self.device_combo.setEditable(True)
        self.device_combo.setToolTip("The serial port: /dev/ttyUSB0, COM3 … (type one that "
                                     "is not listed)")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("List the serial ports again (after plugging a probe)")
        self.refresh_button.clicked.connect(lambda: self.refresh_ports())
        self.device_row = QWidget()
        row = QHBoxLayout(self.device_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.device_combo, 1)
        row.addWidget(self.refresh_button)
        self.baud_combo = QComboBox()
        for baud in SERIAL_BAUDS:
            self.baud_combo.addItem(f"{baud} baud", baud)
        self.baud_combo.setCurrentIndex(self.baud_combo.findData(9600))
        self.baud_combo.setToolTip("Serial: the line's rate. Optical: the highest rate to "
                                   "switch to after the 300 baud sign-on")

    def _build_auth(self) -> None:
        self.auth_combo = _combo(AUTHS, "None: public, read-only. LLS: the password. "
                                 "HLS-GMAC: system title and two keys, every APDU ciphered")
        self.auth_combo.currentIndexChanged.connect(self._update_rows)
        self.title_edit = QLineEdit(DEFAULT_TITLE)
        self.title_edit.setToolTip("Our (client) system title: 16 hex digits, sent in clear")
        self.auth_key_edit = _key_edit("Authentication key (AK): 32 hex digits; never saved "
                                       "in a file, only in the OS keyring when remembered")
        self.block_key_edit = _key_edit("Global unicast encryption key (EK): 32 hex digits; "
                                        "never saved in a file")

    def add_transport_rows(self, form: QFormLayout) -> None:
        self._form = form
        form.addRow("Transport", self.transport_combo)
        form.addRow("Device", self.device_row)
        form.addRow("Baud", self.baud_combo)
        self.refresh_ports()
        self._update_rows()

    def add_auth_rows(self, form: QFormLayout) -> None:
        self._form = form
        form.addRow("Authentication", self.auth_combo)
        form.addRow("System title", self.title_edit)
        form.addRow("Auth key", self.auth_key_edit)
        form.addRow("Block key", self.block_key_edit)
        self._update_rows()

    # ------------------------------------------------------------------ state
    @property
    def transport(self) -> str:
        return str(self.transport_combo.currentData())

    @property
    def auth(self) -> str:
        return str(self.auth_combo.currentData())

    def device(self) -> str:
        data = self.device_combo.currentData()
        text = self.device_combo.currentText().strip()
        listed = self.device_combo.itemText(self.device_combo.currentIndex())
        return str(data) if data and text == listed else text.split(" — ")[0]

    def refresh_ports(self, ports: list[SerialPortInfo] | None = None) -> None:
        """List the serial ports by name and description, keeping the chosen one."""
        chosen = self.device()
        self.device_combo.clear()
        for port in available_ports() if ports is None else ports:
            self.device_combo.addItem(str(port), port.device)
        index = self.device_combo.findData(chosen)
        if index >= 0:
            self.device_combo.setCurrentIndex(index)
        elif chosen:  # typed by hand, or unplugged for now: keep it
            self.device_combo.setEditText(chosen)

    def follow_client(self, client: int) -> None:
        """The authentication a client address usually takes (the engineer may change it)."""
        auth = "none" if client == PUBLIC_CLIENT else "hls" if client == HLS_CLIENT else "lls"
        self.auth_combo.setCurrentIndex(self.auth_combo.findData(auth))

    def settings_fields(self) -> dict[str, object]:
        """``transport``, ``device``, ``baud`` and ``hls`` for ConnectionSettings.

        Raises:
            ValueError: a serial transport without a port, a bad system title or key (the
                message names the field, never the value).
        """
        device = self.device() if self.transport in ("serial", "optical") else ""
        if self.transport in ("serial", "optical") and not device:
            raise ValueError("Choose the serial port the meter or probe is on.")
        hls = None
        if self.auth == "hls":
            hls = HlsCredentials(SystemTitle.from_hex(self.title_edit.text().strip()),
                                 Key.from_hex(self.auth_key_edit.text().strip(),
                                              "authentication key"),
                                 Key.from_hex(self.block_key_edit.text().strip(),
                                              "block cipher key"))
        return {"transport": self.transport, "device": device,
                "baud": int(self.baud_combo.currentData()), "hls": hls}

    def profile_fields(self) -> dict[str, object]:
        """What a saved profile keeps of this section: never a key."""
        return {"transport": self.transport, "device": self.device(),
                "baud": int(self.baud_combo.currentData()), "auth": self.auth,
                "system_title": self.title_edit.text().strip()}

    def keys(self) -> tuple[str, str]:
        return self.auth_key_edit.text().strip(), self.block_key_edit.text().strip()

    def apply_profile(self, fields: dict[str, object], keys: tuple[str, str]) -> None:
        """Fill the rows from a saved profile and the keys the keyring kept for it."""
        self.transport_combo.setCurrentIndex(
            max(0, self.transport_combo.findData(fields.get("transport", "tcp"))))
        self.device_combo.setEditText(str(fields.get("device", "")))
        self.baud_combo.setCurrentIndex(max(0, self.baud_combo.findData(fields.get("baud"))))
        self.auth_combo.setCurrentIndex(max(0, self.auth_combo.findData(fields.get("auth"))))
        self.title_edit.setText(str(fields.get("system_title") or DEFAULT_TITLE))
        self.auth_key_edit.setText(keys[0])
        self.block_key_edit.setText(keys[1])

    # ------------------------------------------------------------------ behaviour
    def _on_transport(self) -> None:
        """The wrapper listens on 4059 and raw HDLC on 3333: move the port along when it
        still has the other one's default."""
        if self.transport == "wrapper" and self._port.value() == HDLC_PORT:
            self._port.setValue(WRAPPER_PORT)
        elif self.transport == "tcp" and self._port.value() == WRAPPER_PORT:
            self._port.setValue(HDLC_PORT)
        self._update_rows()

    def _update_rows(self) -> None:
        serial = self.transport in ("serial", "optical")
        hls = self.auth == "hls"
        if self._form is not None:
            for widget, shown in ((self.device_row, serial), (self.baud_combo, serial),
                                  (self.title_edit, hls), (self.auth_key_edit, hls),
                                  (self.block_key_edit, hls)):
                if self._form.indexOf(widget) >= 0:
                    self._form.setRowVisible(widget, shown)
        self.changed.emit()


def _combo(items: tuple[tuple[str, str], ...], tip: str) -> QComboBox:
    combo = QComboBox()
    for data, text in items:
        combo.addItem(text, data)
    combo.setToolTip(tip)
    return combo


def _key_edit(tip: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText("32 hex digits")
    edit.setToolTip(tip)
    return edit
