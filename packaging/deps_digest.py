"""Print a short digest of pyproject.toml's runtime dependencies.

The Windows lock (windows/requirements-win.txt) records it on its first line, so the build can
tell that the lock no longer matches the declared dependencies and refuse to ship a stale set.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib


def dependencies_digest(pyproject: str) -> str:
    """sha256 (16 hex digits) of the sorted ``[project] dependencies`` list."""
    with open(pyproject, "rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    return hashlib.sha256(json.dumps(sorted(deps)).encode()).hexdigest()[:16]


if __name__ == "__main__":
    print(dependencies_digest(sys.argv[1]))
