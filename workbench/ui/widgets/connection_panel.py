"""Connection panel: where the engineer says which meter, which client, which password.

The derived HDLC addresses are shown as the serial is typed, because a wrong physical
address is the most common reason a meter stays silent. The password field is masked and
is only ever kept in the OS keyring (through :class:`workbench.profiles.ProfileStore`).
The Advanced section holds the HDLC sizes proposed in the SNRM (Microstar-safe defaults
128 bytes / window 1; a meter that allows more makes long profile reads much faster).
"""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.profiles import ConnectionProfile, ProfileStore
from workbench.session.settings import (
    MAX_INFO_RANGE,
    WINDOW_RANGE,
    ConnectionSettings,
    Secret,
)
from workbench.ui import addressing
from workbench.ui.key_store import forget_keys, load_keys, store_keys
from workbench.ui.widgets.link_section import LinkSection

__all__ = ["ConnectionPanel"]

CLIENTS = ((16, "16 · public (read-only)"), (32, "32 · management (LLS)"), (1, "1 · LLS"),
           (48, "48 · HLS-GMAC (keys)"))
DEFAULT_MAX_INFO = 128
DEFAULT_WINDOW = 1
_PROBE_TIP = "Try the likely addresses and clients and explain what answered"


class ConnectionPanel(QWidget):
    """Form for the connection settings plus Connect / Disconnect / Probe."""

    connect_requested = Signal(object)  # ConnectionSettings
    disconnect_requested = Signal()
    probe_requested = Signal(object)  # ConnectionSettings

    def __init__(self, store: ProfileStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store or ProfileStore()
        self._build()
        self._reload_profiles()
        self._update_derived()
        self._update_password_enabled()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        box = QGroupBox("Meter connection")
        inner = QVBoxLayout(box)
        inner.addLayout(self._build_form())
        inner.addLayout(self._build_buttons())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(box)

    def _build_form(self) -> QFormLayout:
        self.profile_combo = QComboBox()
        self.profile_combo.setToolTip("Saved connection profiles (no password in the file)")
        self.profile_combo.activated.connect(self._apply_selected_profile)
        save = QPushButton("Save…")
        save.setToolTip("Save these settings as a named profile")
        save.clicked.connect(self._save_profile)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_combo, 1)
        profile_row.addWidget(save)

        self.host_edit = QLineEdit("127.0.0.1")
        self.port_spin = _spin(1, 65535, 3333)
        self.serial_edit = QLineEdit("000019001234")
        self.serial_edit.setToolTip("The physical address is the serial's last 4 digits")
        self.serial_edit.textChanged.connect(self._update_derived)
        self.derived_label = QLabel()
        self.derived_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.derived_label.setStyleSheet("color: palette(mid);")
        self.client_combo = QComboBox()
        for sap, text in CLIENTS:
            self.client_combo.addItem(text, sap)
        self.client_combo.currentIndexChanged.connect(self._update_password_enabled)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("LLS password")
        self.remember_check = QCheckBox("Remember in the OS keyring")
        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setRange(0.5, 120.0)
        self.timeout_spin.setValue(5.0)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setToolTip("How long to wait for each answer (raise it on GPRS)")
        self.host_edit.setToolTip("IP address or host name of the meter or its modem")
        self.port_spin.setToolTip("TCP port (Microstar meters: 3333)")
        self.client_combo.setToolTip("Client address: 16 reads without a password; 32 and 1 "
                                     "log in with the LLS password and may write")
        self.password_edit.setToolTip("The LLS password (Microstar: 10 digits); never saved "
                                      "in a file")
        self.remember_check.setToolTip("Keep the password in the operating system's keyring "
                                       "with the saved profile")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.link = LinkSection(self.port_spin, self)  # transport and authentication rows
        form.addRow("Profile", profile_row)
        self.link.add_transport_rows(form)
        for label, field in (("Host", self.host_edit),
                             ("Port", self.port_spin), ("Serial", self.serial_edit),
                             ("", self.derived_label), ("Client", self.client_combo)):
            form.addRow(label, field)
        self.link.add_auth_rows(form)
        for label, widget in (("Password", self.password_edit), ("", self.remember_check),
                              ("Timeout", self.timeout_spin)):
            form.addRow(label, widget)
        self.client_combo.currentIndexChanged.connect(
            lambda: self.link.follow_client(int(self.client_combo.currentData())))
        self.link.changed.connect(self._update_password_enabled)
        form.addRow(self._build_advanced())
        return form

    def _build_advanced(self) -> QWidget:
        """HDLC sizes proposed to the meter, folded away until wanted."""
        self.advanced_button = QToolButton()
        self.advanced_button.setText("Advanced")
        self.advanced_button.setCheckable(True)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setAutoRaise(True)
        self.advanced_button.setToolTip("HDLC frame size and window proposed to the meter")
        self.max_info_spin = _spin(*MAX_INFO_RANGE, DEFAULT_MAX_INFO)
        self.max_info_spin.setSuffix(" bytes")
        self.max_info_spin.setToolTip("Largest HDLC information field proposed in the SNRM; "
                                      "the meter may grant less (Microstar: 128)")
        self.window_spin = _spin(*WINDOW_RANGE, DEFAULT_WINDOW)
        self.window_spin.setToolTip("Frames in flight before an acknowledgement; the meter "
                                    "may grant less (Microstar: 1)")
        self.advanced_box = QWidget()
        form = QFormLayout(self.advanced_box)
        form.setContentsMargins(16, 0, 0, 0)
        form.addRow("Max info", self.max_info_spin)
        form.addRow("Window", self.window_spin)
        self.advanced_box.hide()

        def unfold(on: bool) -> None:
            self.advanced_button.setArrowType(Qt.ArrowType.DownArrow if on
                                              else Qt.ArrowType.RightArrow)
            self.advanced_box.setVisible(on)

        self.advanced_button.toggled.connect(unfold)
        folder = QWidget()
        column = QVBoxLayout(folder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.advanced_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.advanced_box)
        return folder

    def _build_buttons(self) -> QHBoxLayout:
        self.connect_button = QPushButton("Connect")
        self.connect_button.setDefault(True)
        self.connect_button.setToolTip("Connect and associate (Ctrl+K)")
        self.connect_button.clicked.connect(self._on_connect)
        self.disconnect_button = QPushButton("Disconnect")
        self.disconnect_button.setEnabled(False)
        self.disconnect_button.setToolTip("Release the link and close the connection; stops "
                                          "any connect attempt or read in progress "
                                          "(Ctrl+Shift+K)")
        self.disconnect_button.clicked.connect(self.disconnect_requested)
        self.probe_button = QPushButton("Probe")
        self.probe_button.setToolTip(_PROBE_TIP)
        self.probe_button.clicked.connect(self._on_probe)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.disconnect_button)
        buttons.addWidget(self.probe_button)
        return buttons

    # ------------------------------------------------------------------ behaviour
    def settings(self) -> ConnectionSettings:
        """The settings as typed now (password wrapped in a Secret, or None for public)."""
        client = int(self.client_combo.currentData())
        password = self.password_edit.text() if self.link.auth == "lls" else ""
        return ConnectionSettings(
            host=self.host_edit.text().strip() or "127.0.0.1",
            port=self.port_spin.value(),
            physical=addressing.physical_or_default(self.serial_edit.text()),
            client=client,
            password=Secret(password) if password else None,
            timeout=self.timeout_spin.value(),
            max_info=self.max_info_spin.value(),
            window=self.window_spin.value(),
            **self.link.settings_fields(),  # type: ignore[arg-type]
        )

    def set_connected(self, connected: bool) -> None:
        """Connected (or connecting): only Disconnect can run; the others say why not."""
        self.connect_button.setEnabled(not connected)
        self.disconnect_button.setEnabled(connected)
        self.probe_button.setEnabled(not connected)
        busy = "Disconnect first: a session is open or opening."
        self.connect_button.setToolTip(busy if connected else "Connect and associate (Ctrl+K)")
        self.probe_button.setToolTip(busy if connected else _PROBE_TIP)

    def profile_name(self) -> str:
        """The saved profile the form was filled from ("" when unsaved)."""
        return self.profile_combo.currentData() or ""

    def set_endpoint(self, host: str, port: int) -> None:
        """Point the form at ``host:port`` (used by ``--demo`` for the built-in meter)."""
        self.host_edit.setText(host)
        self.port_spin.setValue(port)

    def set_client(self, sap: int, password: str = "") -> None:
        index = self.client_combo.findData(sap)
        if index >= 0:
            self.client_combo.setCurrentIndex(index)
        self.password_edit.setText(password)

    def _on_connect(self) -> None:
        settings = self._checked_settings()
        if settings is not None:
            self.connect_requested.emit(settings)

    def _on_probe(self) -> None:
        settings = self._checked_settings()
        if settings is not None:
            self.probe_requested.emit(settings)

    def _checked_settings(self) -> ConnectionSettings | None:
        """The settings, or None after telling the user which field is unusable."""
        try:
            return self.settings()
        except ValueError as exc:
            QMessageBox.warning(self, "Connection settings", str(exc))
            return None

    def _update_derived(self) -> None:
        self.derived_label.setText(addressing.describe(self.serial_edit.text()))

    def _update_password_enabled(self) -> None:
        needs = self.link.auth == "lls"
        self.password_edit.setEnabled(needs)
        self.remember_check.setEnabled(needs or self.link.auth == "hls")

    def _reload_profiles(self) -> None:
        self.profile_combo.clear()
        self.profile_combo.addItem("(unsaved)", None)
        for name in sorted(self._store.load()):
            self.profile_combo.addItem(name, name)

    def _apply_selected_profile(self) -> None:
        name = self.profile_combo.currentData()
        profile = self._store.load().get(name) if name else None
        if profile is None:
            return
        self.host_edit.setText(profile.host)
        self.port_spin.setValue(profile.port)
        self.serial_edit.setText(profile.serial)
        self.timeout_spin.setValue(profile.timeout)
        self.max_info_spin.setValue(profile.max_info)
        self.window_spin.setValue(profile.window)
        self.remember_check.setChecked(profile.remember_password)
        password = self._store.password(name) if profile.remember_password else ""
        self.set_client(profile.client, password or "")
        if profile.auth:  # profiles saved before the choice existed follow the client
            keys = load_keys(name) if profile.remember_password else ("", "")
            self.link.apply_profile(asdict(profile), keys)

    def _save_profile(self) -> None:
        name, ok = QInputDialog.getText(self, "Save profile", "Profile name:",
                                        text=self.profile_combo.currentData() or "")
        if ok and name.strip():
            self.save_profile(name.strip())

    def save_profile(self, name: str) -> None:
        """Save the form as profile ``name`` (password to the keyring only if remembered)."""
        profile = ConnectionProfile(
            name=name, host=self.host_edit.text().strip(), port=self.port_spin.value(),
            serial=self.serial_edit.text().strip(), client=int(self.client_combo.currentData()),
            timeout=self.timeout_spin.value(), remember_password=self.remember_check.isChecked(),
            max_info=self.max_info_spin.value(), window=self.window_spin.value(),
            **self.link.profile_fields())  # type: ignore[arg-type]
        self._store.save(profile, self.password_edit.text() or None)
        if profile.remember_password and profile.auth == "hls":
            store_keys(name, self.link.keys())
        else:
            forget_keys(name)
        self._reload_profiles()
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(name))


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin
