"""``python -m workbench`` and the ``workbench`` console script."""

import sys

from workbench.cli import main


def run() -> None:
    """Entry point for console scripts and the Windows launcher (which ignores return values)."""
    sys.exit(main())


if __name__ == "__main__":
    run()
