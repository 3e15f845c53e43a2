"""The bundle's entry point: ``coordinator_app/__main__.py`` uses a relative import, which fails
when PyInstaller runs it as a top-level script ("attempted relative import with no known parent
package"), so the bundle starts here instead."""

from __future__ import annotations

import sys

from coordinator_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
