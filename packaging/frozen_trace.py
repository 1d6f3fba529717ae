"""List every module the app imports when it runs, for build-frozen.sh's trimming.

    QT_QPA_PLATFORM=offscreen python frozen_trace.py OUT.txt

Imports every module of the workbench package (sub-commands are loaded by name), asks keyring
for its backend as the connection profiles do (on Linux that is the Secret Service through
SecretStorage, which needs cryptography), runs the window's --self-test in-process, and writes
the sorted names in sys.modules (less those the interpreter had loaded before) to
OUT.txt. Nothing the app imports may be excluded from the
bundle; build-frozen.sh checks its exclusions against this list.
"""

import sys

# Imported before this script ran (site, the venv's .pth files such as setuptools'
# _distutils_hack): the interpreter's doing, not the app's.
STARTUP = set(sys.modules)

import importlib  # noqa: E402
import pkgutil  # noqa: E402


def main(out: str) -> int:
    import workbench

    failed = []
    for info in pkgutil.walk_packages(workbench.__path__, "workbench."):
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # reported; the self-test below decides
            failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
    try:
        import keyring

        print(f"trace: keyring backend {keyring.get_keyring()!r}", file=sys.stderr)
    except Exception as exc:  # no keyring daemon in CI is fine
        print(f"trace: keyring: {type(exc).__name__}: {exc}", file=sys.stderr)
    from workbench.cli import main as cli_main

    code = cli_main(["--self-test"])
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(set(sys.modules) - STARTUP)) + "\n")
    for line in failed:
        print(f"trace: could not import {line}", file=sys.stderr)
    print(f"trace: {len(sys.modules)} modules imported; self-test exit {code}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
