"""The bundle's entry point: ``coordinator_app/__main__.py`` uses a relative import, which fails
when PyInstaller runs it as a top-level script ("attempted relative import with no known parent
package"), so the bundle starts here instead.

``coordinator-app --bundle-self-check DB`` (used by ``tests/cli/test_bundle.py``, not a user
command) exercises inside the frozen app what the lean build trimmed and the other commands do
not reach: Home's charts drawn by the real ``HomeCharts`` (pyqtgraph over numpy, with numpy's
random and FFT parts left out), collation and time-zone names (ICU's data cut to English and
root), Qt's print plugin, and the PostgreSQL driver when it is bundled. It prints one line per
check and exits 0, or stops at the first failure with a traceback (exit 1).
"""

from __future__ import annotations

import importlib.util
import sys

from coordinator_app.cli import entry

SELF_CHECK = "--bundle-self-check"


def self_check(db_path: str) -> int:
    """Run the checks on the database at ``db_path`` (a demo database); 0 when all pass."""
    import numpy as np
    from PySide6.QtCore import QCollator, QLocale, QTimeZone
    from PySide6.QtPrintSupport import QPrinterInfo
    from PySide6.QtWidgets import QApplication

    from coordinator_app.core.db import open_database
    from coordinator_app.ui.charts import HomeCharts
    from coordinator_app.ui.context import AppContext

    app = QApplication.instance() or QApplication(["coordinator-app"])
    matrix = np.arange(9.0).reshape(3, 3)
    assert (matrix @ np.eye(3) == matrix).all()  # numpy's BLAS-backed product
    print(f"numpy {np.__version__}: ok")

    charts = HomeCharts(AppContext(db=open_database(db_path)))
    charts.resize(900, 400)
    charts.load()  # what showing Home does a moment after start-up
    assert charts.series is not None and charts.attendance_plot is not None
    image = charts.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}  # fmt: skip
    assert len(colours) > 4, f"the charts drew {len(colours)} colours"
    print(f"charts: ok ({len(colours)} colours)")

    for name in ("en_GB", "en_US", "cy_GB", "de_DE", "pl_PL"):
        collator = QCollator(QLocale(name))
        collator.setNumericMode(True)
        assert collator.compare("Meeting 2", "meeting 10") < 0, name
        assert collator.compare("Zoë", "Zoe") > 0 and collator.compare("apple", "Banana") < 0
        assert sorted(["Siân", "Sean", "Seán", "Adam"], key=collator.sortKey)[0] == "Adam"
    print("collation: ok")

    zone = QTimeZone(b"Europe/London")
    zone_name = zone.displayName(
        QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("en_GB")
    )
    assert zone.isValid() and zone_name, zone_name
    print(f"time zone names: ok ({zone_name})")

    # Loads Qt's print plugin (CUPS on Linux, whose client library comes from the machine).
    printers = QPrinterInfo.availablePrinterNames()
    print(f"printing: ok ({len(printers)} printers)")

    if importlib.util.find_spec("psycopg") is None:
        print("psycopg: not bundled")
    else:  # bundled, so it must load, with its own libpq
        import psycopg
        from sqlalchemy.dialects.postgresql import psycopg as _dialect  # noqa: F401

        print(f"psycopg {psycopg.__version__} with libpq {psycopg.pq.version()}: ok")

    # The password store: keyring and its backends load (on Linux without SecretStorage, left
    # out for size, that is the "no store" answer File > Database… explains).
    from coordinator_app.core import connection

    print(f"password store: ok ({'available' if connection.keyring_available() else 'none'})")
    app.processEvents()
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == SELF_CHECK:
        sys.exit(self_check(sys.argv[2]))
    entry()
