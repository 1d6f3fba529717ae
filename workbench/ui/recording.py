"""Every session is recorded to disk as it happens, so nothing is lost if the link or the
application dies: one ``.wbcap`` per connection under the user's data folder, each frame
appended and flushed the moment it crosses the wire, password bytes masked (Qt-free)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import platformdirs

from workbench.capture import CaptureError, CaptureHeader, CaptureWriter, open_writer
from workbench.session.settings import ConnectionSettings
from workbench.session.trace import FrameRecord

__all__ = ["SessionRecorder", "default_recordings_dir"]


def default_recordings_dir() -> Path:
    return Path(platformdirs.user_data_dir("dlms-workbench")) / "captures"


class SessionRecorder:
    """Opens a capture per connection and appends frames to it; failures turn it off."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._writer: CaptureWriter | None = None

    @property
    def path(self) -> Path | None:
        return self._writer.path if self._writer is not None else None

    def start(self, settings: ConnectionSettings) -> Path | None:
        """Open a new capture for ``settings``; None when recording is off.

        Raises:
            CaptureError: the folder or file cannot be written.
        """
        self.stop()
        if self.directory is None:
            return None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CaptureError(f"cannot create {self.directory}: {exc.strerror or exc}") from exc
        peer = re.sub(r"[^\w.-]+", "_", f"{settings.host}-{settings.port}")
        path = self.directory / f"{time.strftime('%Y%m%d-%H%M%S')}-{peer}.wbcap"
        self._writer = open_writer(path, CaptureHeader.from_settings(settings,
                                                                     created=time.time()))
        return path

    def write(self, record: FrameRecord) -> None:
        """Append one frame.

        Raises:
            CaptureError: the disk refused it (the recorder is then stopped).
        """
        if self._writer is None:
            return
        try:
            self._writer.write(record)
        except CaptureError:
            self.stop()
            raise

    def stop(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
