#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml's ranges (see requirements/README.md). Needs uv
# (pip install uv). The result is a change to review like any other: read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
common=(--universal --python-version 3.11 --generate-hashes
        --custom-compile-command "bash requirements/update.sh" "$@")
# What the bundle is built from: the app's dependencies and PyInstaller.
uv pip compile pyproject.toml --extra installer "${common[@]}" -o requirements/bundle.txt
# What CI tests with: the same versions (constrained by bundle.txt) and the test tools.
uv pip compile pyproject.toml --extra test --extra installer -c requirements/bundle.txt \
  "${common[@]}" -o requirements/test.txt
