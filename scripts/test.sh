#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite headless. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/mypy  # strict on the packages listed in pyproject's [tool.mypy] files
rc=0
.venv/bin/python -m pytest -q "$@" || rc=$?
if [ "$rc" -eq 5 ]; then echo "pytest collected no tests" >&2; rc=1; fi
exit "$rc"
