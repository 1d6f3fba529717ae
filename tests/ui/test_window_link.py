"""The connection panel's Advanced section proposes the HDLC sizes (saved in profiles), and
the meter box shows what was granted and every deviation that was tolerated."""

from __future__ import annotations

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD


def test_advanced_sizes_are_proposed_granted_and_saved_in_the_profile(driver):
    panel = driver.window.connection
    assert (panel.max_info_spin.value(), panel.window_spin.value()) == (128, 1)  # Microstar
    assert not panel.max_info_spin.isVisible()  # folded away until wanted
    panel.advanced_button.setChecked(True)
    assert panel.max_info_spin.isVisible() and panel.window_spin.toolTip()
    panel.max_info_spin.setValue(512)
    panel.window_spin.setValue(4)
    settings = panel.settings()
    assert (settings.max_info, settings.window) == (512, 4)

    panel.save_profile("bench meter")
    panel.max_info_spin.setValue(128)
    panel.window_spin.setValue(1)
    panel.profile_combo.setCurrentIndex(panel.profile_combo.findData("bench meter"))
    panel.profile_combo.activated.emit(panel.profile_combo.currentIndex())
    assert (panel.max_info_spin.value(), panel.window_spin.value()) == (512, 4)

    with running_meter(password=LLS_PASSWORD, max_info=1024, window=7) as meter:
        driver.connect(meter)
        link = driver.window.meter_box.text("link")
        assert "512/512" in link and "window 4/4" in link, link


def test_tolerated_deviations_are_listed_in_the_meter_box(driver):
    with running_meter(password=LLS_PASSWORD, quirks=("ua-group-length-zero",)) as meter:
        driver.connect(meter)
        box = driver.window.meter_box
        driver.wait(lambda: "⚠" in box.text("warnings"))
        assert box.labels["warnings"].isVisible()
