"""The About box lists what we ship, with licenses read from the installed packages."""

from workbench.ui.dialogs import bundled_components


def test_about_lists_the_bundled_components_and_their_licenses() -> None:
    rows = {name: (version, licence) for name, version, licence in bundled_components()}
    assert {"PySide6-Essentials", "pyqtgraph", "numpy", "keyring", "platformdirs"} <= set(rows)
    assert "LGPL-3.0" in rows["PySide6-Essentials"][1]
    assert rows["pyqtgraph"][1] == "MIT"
    assert {"cryptography", "pyserial"} <= set(rows)  # HLS ciphering, serial lines (issue 14)
    assert "Apache-2.0" in rows["cryptography"][1] and "BSD" in rows["pyserial"][1]
    assert all(version and licence for version, licence in rows.values())
