"""Connection panel: where the engineer says which meter, which client, which password.

The derived HDLC addresses are shown as the serial is typed, because a wrong physical
address is the most common reason a meter stays silent. The password field is masked and
is only ever kept in the OS keyring (through :class:`workbench.profiles.ProfileStore`).
"""

from __future__ import annotations

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
    QVBoxLayout,
    QWidget,
)

from workbench.profiles import ConnectionProfile, ProfileStore
from workbench.session.settings import ConnectionSettings
from workbench.ui import addressing, theme
from workbench.ui.messages import Failure, MeterIdentity

__all__ = ["ConnectionPanel"]

CLIENTS = ((16, "16 · public (read-only)"), (32, "32 · management (LLS)"), (1, "1 · LLS"))


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
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.setStyleSheet(f"color: {theme.warning_colour()};")
        self.problem_label.hide()
        inner.addWidget(self.problem_label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(box)
        outer.addWidget(self._build_identity())
        outer.addStretch(1)

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

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field in (("Profile", profile_row), ("Host", self.host_edit),
                             ("Port", self.port_spin), ("Serial", self.serial_edit),
                             ("", self.derived_label), ("Client", self.client_combo),
                             ("Password", self.password_edit), ("", self.remember_check),
                             ("Timeout", self.timeout_spin)):
            form.addRow(label, field)
        return form

    def _build_buttons(self) -> QHBoxLayout:
        self.connect_button = QPushButton("Connect")
        self.connect_button.setDefault(True)
        self.connect_button.setToolTip("Connect and associate (Ctrl+K)")
        self.connect_button.clicked.connect(self._on_connect)
        self.disconnect_button = QPushButton("Disconnect")
        self.disconnect_button.setEnabled(False)
        self.disconnect_button.clicked.connect(self.disconnect_requested)
        self.probe_button = QPushButton("Probe")
        self.probe_button.setToolTip(
            "Try the likely addresses and clients and explain what answered")
        self.probe_button.clicked.connect(self._on_probe)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.disconnect_button)
        buttons.addWidget(self.probe_button)
        return buttons

    def _build_identity(self) -> QGroupBox:
        box = QGroupBox("Meter")
        form = QFormLayout(box)
        self.identity_labels: dict[str, QLabel] = {}
        for key, label in (("serial", "Serial"), ("device_name", "Device"),
                           ("clock", "Clock"), ("association", "Link")):
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.identity_labels[key] = value
            form.addRow(label, value)
        return box

    def show_identity(self, identity: MeterIdentity | None) -> None:
        """Fill the Meter box after connecting (None clears it)."""
        for key, label in self.identity_labels.items():
            text = getattr(identity, key, "") if identity is not None else ""
            label.setText(text or "—")
        drift = identity.clock_drift_s if identity is not None else None
        if drift is not None:
            clock = self.identity_labels["clock"]
            warn = abs(drift) > 60
            clock.setText(f"{clock.text()}\n{_drift_text(drift)}")
            clock.setStyleSheet(f"color: {theme.warning_colour()};" if warn else "")

    # ------------------------------------------------------------------ behaviour
    def settings(self) -> ConnectionSettings:
        """The settings as typed now (password wrapped in a Secret, or None for public)."""
        client = int(self.client_combo.currentData())
        password = self.password_edit.text() if client != 16 else ""
        return ConnectionSettings(
            host=self.host_edit.text().strip() or "127.0.0.1",
            port=self.port_spin.value(),
            physical=addressing.physical_or_default(self.serial_edit.text()),
            client=client,
            password=password or None,
            timeout=self.timeout_spin.value(),
        )

    def show_problem(self, failure: Failure | None) -> None:
        """Keep why the last connect or probe failed in view, with what to try (None clears).

        The status bar drops the message after a while and cuts the hint off at the
        window's width; this is the first place an engineer looks after pressing Connect.
        """
        if failure is None:
            self.problem_label.clear()
            self.problem_label.hide()
            return
        text = f"{failure.action} failed: {failure.message}"
        self.problem_label.setText(text + (f"\n\n{failure.hint}" if failure.hint else ""))
        self.problem_label.show()

    def set_connected(self, connected: bool) -> None:
        self.connect_button.setEnabled(not connected)
        self.disconnect_button.setEnabled(connected)
        self.probe_button.setEnabled(not connected)

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
            self.show_problem(None)
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
        needs = int(self.client_combo.currentData()) != 16
        self.password_edit.setEnabled(needs)
        self.remember_check.setEnabled(needs)

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
        self.remember_check.setChecked(profile.remember_password)
        password = self._store.password(name) if profile.remember_password else ""
        self.set_client(profile.client, password or "")

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
            timeout=self.timeout_spin.value(), remember_password=self.remember_check.isChecked())
        self._store.save(profile, self.password_edit.text() or None)
        self._reload_profiles()
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(name))


def _drift_text(drift: float) -> str:
    side = "behind" if drift < 0 else "ahead of"
    return f"{abs(drift):.1f} s {side} this PC"


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin
