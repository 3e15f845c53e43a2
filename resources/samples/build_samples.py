"""Write the import template and the filled-in example import workbook beside this file.

Both are generated from ``coordinator_app.core.import_template`` (which reads the column list
of ``coordinator_app.core.importer``): edit the rows there, then run

    /work/venv/bin/python resources/samples/build_samples.py

A test checks that the example imports cleanly into a fresh database holding the default
standards framework.
"""

from __future__ import annotations

from pathlib import Path

from coordinator_app.core.import_template import write_import_example, write_import_template

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "import-template.xlsx"
EXAMPLE = HERE / "import-example.xlsx"


def main() -> None:
    write_import_template(TEMPLATE)
    write_import_example(EXAMPLE)
    print(f"wrote {TEMPLATE.name} and {EXAMPLE.name}")


if __name__ == "__main__":
    main()
