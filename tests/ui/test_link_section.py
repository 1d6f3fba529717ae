"""Issue 14 in the connection panel: the transport (TCP, the wrapper, a serial line, an
optical probe) with the serial ports by name and description, and HLS-GMAC with keys kept
only in the OS keyring; the real window reads the simulated meter over the wrapper with
HLS-GMAC and over the optical sign-on on a null modem, and the frame log deciphers."""

from __future__ import annotations

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend

from tests.interop.keys import AUTH_KEY, BLOCK_KEY, CLIENT_TITLE, serial_meter, tcp_meter
from tests.ui.conftest import WindowDriver
from workbench.security.reveal import DECIPHERED_KEY
from workbench.transport.serial import SerialPortInfo
from workbench.ui.widgets import link_section

AK, EK, TITLE = AUTH_KEY.hex(), BLOCK_KEY.hex(), CLIENT_TITLE.hex().upper()
PROBE = SerialPortInfo("/dev/ttyUSB7", "FTDI FT232R optical probe")


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps what it is given, so a test can look inside."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[service, username] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    return backend


def _hls_form(panel, port: int, transport: str = "wrapper") -> None:
    panel.link.transport_combo.setCurrentIndex(panel.link.transport_combo.findData(transport))
    panel.set_endpoint("127.0.0.1", port)
    panel.set_client(48)
    assert panel.link.auth == "hls" and not panel.password_edit.isEnabled()
    panel.link.title_edit.setText(TITLE)
    panel.link.auth_key_edit.setText(AK)
    panel.link.block_key_edit.setText(EK)


def _deciphered_rows(window) -> int:
    log = window.frame_log.model.log
    return sum(any(n.key == DECIPHERED_KEY for tree in log.dissection(row) for n in tree.walk())
               for row in range(len(log)))


def test_serial_ports_are_listed_by_name_and_description(driver, monkeypatch) -> None:
    link = driver.window.connection.link
    monkeypatch.setattr(link_section, "available_ports", lambda: [PROBE])
    link.transport_combo.setCurrentIndex(link.transport_combo.findData("optical"))
    assert link.device_row.isVisibleTo(driver.window) and link.baud_combo.isVisibleTo(
        driver.window)
    link.refresh_button.click()
    assert link.device_combo.itemText(0) == "/dev/ttyUSB7 — FTDI FT232R optical probe"
    link.device_combo.setCurrentIndex(0)
    link.baud_combo.setCurrentIndex(link.baud_combo.findData(19200))
    settings = driver.window.connection.settings()
    assert (settings.transport, settings.device, settings.baud) == ("optical", "/dev/ttyUSB7",
                                                                   19200)
    link.transport_combo.setCurrentIndex(link.transport_combo.findData("tcp"))
    assert not link.device_row.isVisibleTo(driver.window)
    assert driver.window.connection.settings().device == ""


def test_the_wrapper_moves_the_port_and_a_bad_key_names_the_field(driver) -> None:
    panel = driver.window.connection
    link = panel.link
    link.transport_combo.setCurrentIndex(link.transport_combo.findData("wrapper"))
    assert panel.port_spin.value() == 4059
    panel.set_client(48)
    link.auth_key_edit.setText("00112233")
    with pytest.raises(ValueError, match="authentication key") as caught:
        panel.settings()
    assert "00112233" not in str(caught.value)


@pytest.mark.parametrize("transport", ["tcp", "wrapper"])
def test_the_window_reads_with_hls_and_the_log_deciphers(driver, transport) -> None:
    window = driver.window
    with tcp_meter(wrapper=transport == "wrapper") as meter:
        _hls_form(window.connection, meter.address[1], transport)
        settings = window.connection.settings()
        assert settings.transport == transport and settings.hls is not None
        assert AK not in repr(settings) and EK not in repr(settings)
        window.connection.connect_button.click()
        driver.wait(lambda: window.browser.model.rowCount() > 0 and not driver.failures)
        assert driver.state.value == "Associated"
        driver.select("0-0:96.1.0.255")
        window.browser.read_all_button.click()
        driver.wait(lambda: driver.value_text(2))
        assert driver.value_text(2) == '"000019001234"'
    hex_frames = "".join(r.raw.hex() for r in window.frame_log.model.log.records())
    assert AK.lower() not in hex_frames and EK.lower() not in hex_frames
    if transport == "tcp":  # the dissector reads HDLC frames; wrapper PDUs it shows raw
        assert _deciphered_rows(window) >= 4  # object list, reads: every APDU ciphered


def test_the_window_reads_over_the_optical_probe(driver) -> None:
    window = driver.window
    with serial_meter(optical=True) as (device, _meter):
        link = window.connection.link
        link.transport_combo.setCurrentIndex(link.transport_combo.findData("optical"))
        link.device_combo.setEditText(device)
        window.connection.set_client(16)
        window.connection.connect_button.click()
        driver.wait(lambda: window.browser.model.rowCount() > 0 and not driver.failures)
        assert driver.state.value == "Associated"
    assert _deciphered_rows(window) == 0  # nothing ciphered on the public client


def test_keys_live_in_the_keyring_never_in_the_profile_file(
        make_window, qtbot, memory_keyring, tmp_path) -> None:
    window = make_window()
    panel = window.connection
    _hls_form(panel, 4059)
    panel.remember_check.setChecked(True)
    panel.save_profile("tender meter")
    text = (tmp_path / "profiles" / "profiles.json").read_text("utf-8")
    for secret in (AK, EK):
        assert secret.lower() not in text.lower()
    assert '"auth": "hls"' in text and TITLE in text and '"transport": "wrapper"' in text
    assert sorted(memory_keyring.kept.values()) == sorted([AK, EK])

    again = WindowDriver(make_window(), qtbot).window.connection
    again.profile_combo.setCurrentIndex(again.profile_combo.findData("tender meter"))
    again.profile_combo.activated.emit(again.profile_combo.currentIndex())
    assert again.link.auth == "hls" and again.link.transport == "wrapper"
    assert again.link.keys() == (AK, EK)
    assert again.settings().hls is not None

    panel.remember_check.setChecked(False)
    panel.save_profile("tender meter")
    assert memory_keyring.kept == {}
