"""The contracts in docs/ and the code cannot drift apart.

Nothing in the repository cites a document that is not in it, and every ``docs/...`` file and
``#section`` cited exists. The lists in ``docs/monthly-return.md`` (sheets, columns, Summary
rows, the consolidated workbook's sheets), ``docs/import-workbook.md`` (sheets, columns and
which are required) and ``docs/command-line.md`` (commands, options, exit codes) are parsed and
compared with what the code writes, reads and parses. The documents link only to each other,
and every link resolves to a file and a heading.
"""

from __future__ import annotations

import argparse
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from coordinator_app import cli
from coordinator_app.core import consolidate, importer, returns, standards
from coordinator_app.core.figures import SUMMARY_MEASURES, MonthFigures
from coordinator_app.core.rules import Month

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


# --- Reading the Markdown -------------------------------------------------------------------


def read_doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        match = re.match(r"^#{1,6} (.+)$", line)
        if match and not in_code:
            base = slug(match.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            found.add(base if n == 0 else f"{base}-{n}")
    return found


def section(text: str, heading: str) -> str:
    """The text under ``heading`` (e.g. ``"### Summary"``) up to the next heading of the same or
    a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    try:
        start = lines.index(heading)
    except ValueError:
        raise AssertionError(f"no heading {heading!r}") from None
    body = []
    for line in lines[start + 1 :]:
        match = re.match(r"^(#{1,6}) ", line)
        if match and len(match.group(1)) <= level:
            break
        body.append(line)
    return "\n".join(body)


def table_rows(text: str) -> list[list[str]]:
    """The body rows of every Markdown table in ``text``, as stripped cells (``\\|`` is kept as
    part of a cell); header and separator rows are left out."""
    rows: list[list[str]] = []
    previous_was_table = False
    for line in text.splitlines():
        if not line.startswith("|"):
            previous_was_table = False
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if all(re.fullmatch(r":?-+:?", c) for c in cells):
            continue
        if not previous_was_table:  # the header row
            previous_was_table = True
            continue
        rows.append(cells)
    return rows


def first_column(text: str) -> list[str]:
    """The backticked names in the first column of the tables in ``text``, in order."""
    names = []
    for cells in table_rows(text):
        match = re.fullmatch(r"`([^`]+)`", cells[0])
        if match:
            names.append(match.group(1))
    return names


def columns_line(text: str) -> list[str]:
    match = re.search(r"^Columns: (.+)$", text, re.MULTILINE)
    assert match, "no 'Columns:' line"
    return re.findall(r"`([^`]+)`", match.group(1))


# --- The monthly return ---------------------------------------------------------------------


def _built_return() -> openpyxl.Workbook:
    """A return as ``returns.build_workbook`` writes it (no database needed: zero figures)."""
    values: dict[str, object] = {name: 0 for name in MonthFigures._fields}
    values.update(
        payments_gbp=Decimal("0.00"),
        expenses_gbp=Decimal("0.00"),
        accreditation_result="None",
        standards_met_percent=None,
    )
    content = returns.ReturnContent(
        trust="Arden Valley Partnership NHS Foundation Trust",
        locality="Rugby",
        month=Month(2026, 10),
        prepared_by="Siân O'Neill",
        generated_at=datetime(2026, 11, 2, 9, 30),
        app_version="0.1.0",
        figures=MonthFigures(**values),  # type: ignore[arg-type]
        tables={sheet: [] for sheet in returns.TABLE_SHEETS},
    )
    return returns.build_workbook(content)


def _column_a(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[str]:
    return [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_return_sheets_are_those_of_the_doc() -> None:
    doc = read_doc("monthly-return.md")
    listed = re.findall(r"^\d+\. `([^`]+)`$", section(doc, "## The sheets"), re.MULTILINE)
    assert tuple(listed) == returns.SHEETS
    assert _built_return().sheetnames == listed


def test_return_headers_and_rows_are_those_of_the_doc() -> None:
    doc = read_doc("monthly-return.md")
    workbook = _built_return()
    for sheet in returns.SHEETS:
        text = section(doc, f"### {sheet}")
        header = [c.value for c in workbook[sheet][1]]
        if sheet in (returns.RETURN_SHEET, returns.SUMMARY_SHEET):
            assert tuple(columns_line(text)) == returns.HEADERS[sheet], sheet
            assert header == columns_line(text), sheet
        else:
            assert tuple(first_column(text)) == returns.HEADERS[sheet], sheet
            assert header == first_column(text), sheet
    return_fields = first_column(section(doc, "### Return"))
    assert tuple(return_fields) == returns.RETURN_FIELDS
    assert _column_a(workbook[returns.RETURN_SHEET]) == return_fields


def test_summary_rows_are_those_of_the_doc_in_order() -> None:
    text = section(read_doc("monthly-return.md"), "### Summary")
    numbered = [(int(cells[0]), cells[1].strip("`")) for cells in table_rows(text)]
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
    measures = [m for _, m in numbered]
    assert tuple(measures) == SUMMARY_MEASURES
    assert _column_a(_built_return()[returns.SUMMARY_SHEET]) == measures


def test_format_version_is_the_doc_s() -> None:
    assert f"This is **format version {returns.FORMAT_VERSION}**." in read_doc("monthly-return.md")
    ws = _built_return()[returns.RETURN_SHEET]
    written = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert written["Format version"] == returns.FORMAT_VERSION


def test_consolidated_workbook_is_that_of_the_doc(tmp_path: Path) -> None:
    text = section(read_doc("monthly-return.md"), "## Consolidation")
    listed = first_column(text)
    sheets = [
        consolidate.SUMMARY_SHEET,
        consolidate.CHARTS_SHEET,
        *consolidate.RECORD_SHEETS,
        consolidate.TRUST_REACH_SHEET,
    ]
    assert listed == sheets

    source = tmp_path / "rugby-2026-10.xlsx"
    _built_return().save(source)
    target = tmp_path / "consolidated.xlsx"
    consolidate.consolidate([source], target)
    workbook = openpyxl.load_workbook(target, read_only=True)
    try:
        assert workbook.sheetnames == listed
        summary = next(workbook[consolidate.SUMMARY_SHEET].iter_rows(max_row=1, values_only=True))
        assert list(summary) == ["Locality", "Month", *SUMMARY_MEASURES]
        assert "`Locality`, `Month` (`YYYY-MM`), then one column per Summary measure" in text
        for sheet in consolidate.RECORD_SHEETS:
            header = next(workbook[sheet].iter_rows(max_row=1, values_only=True))
            assert list(header) == ["Locality", "Month", *returns.HEADERS[sheet]], sheet
    finally:
        workbook.close()


# --- The import workbook and the framework workbook ----------------------------------------


def _required_table(text: str) -> list[tuple[str, bool]]:
    found = []
    for cells in table_rows(text):
        match = re.fullmatch(r"`([^`]+)`", cells[0])
        if match:
            assert cells[1] in ("yes", ""), cells
            found.append((match.group(1), cells[1] == "yes"))
    return found


def test_import_sheets_and_columns_are_those_of_the_doc() -> None:
    doc = section(read_doc("import-workbook.md"), "## The import workbook")
    sheets = re.findall(r"^### (.+)$", doc, re.MULTILINE)
    documented = [s for s in sheets if s in importer.SHEETS]
    assert documented == list(importer.SHEETS)
    for sheet, specs in importer.SHEETS.items():
        assert _required_table(section(doc, f"### {sheet}")) == [
            (spec.name, spec.required) for spec in specs
        ], sheet


def test_framework_workbook_is_that_of_the_doc() -> None:
    doc = section(read_doc("import-workbook.md"), "## The standards framework workbook")
    sheets = re.findall(r"^### (.+)$", doc, re.MULTILINE)
    assert sheets == [standards.FRAMEWORK_SHEET, standards.STANDARDS_SHEET]

    framework = section(doc, f"### {standards.FRAMEWORK_SHEET}")
    assert columns_line(framework) == ["Field", "Value"]
    assert _required_table(framework) == [
        ("Name", True),
        ("Version", True),
        ("Issued on", False),
        *((standards.THRESHOLD_FIELDS[level], False) for level in (1, 2, 3)),
    ]
    assert _required_table(section(doc, f"### {standards.STANDARDS_SHEET}")) == [
        (name, name in standards.REQUIRED_STANDARDS_HEADERS) for name in standards.STANDARDS_HEADERS
    ]


# --- The command line -----------------------------------------------------------------------


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every leaf command of ``parser``: ``{"demo": ..., "standards import": ...}``."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _subcommands(sub)
                if nested:
                    found.update({f"{name} {n}": p for n, p in nested.items()})
                else:
                    found[name] = sub
    return found


def _parser_options(parser: argparse.ArgumentParser) -> set[str]:
    options = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if action.option_strings:
            options.update(s for s in action.option_strings if s.startswith("--"))
        else:
            options.add(str(action.metavar or action.dest))
    return options - {"--help"}


def _doc_options(text: str) -> set[str]:
    options = set()
    for cells in table_rows(text):
        for code in re.findall(r"`([^`]+)`", cells[0]):
            if code.startswith("-"):  # an option by its long form (``-o`` goes with ``--output``)
                options.update(re.findall(r"--[a-z][a-z-]*", code))
            else:  # a positional argument: its metavar
                options.add(code.split()[0])
    return options


def test_every_command_of_the_parser_is_in_the_doc_and_no_other() -> None:
    doc = section(read_doc("command-line.md"), "## Commands")
    headings = re.findall(r"^### (.+)$", doc, re.MULTILINE)
    assert headings[0] == "(no command)"
    assert sorted(headings[1:]) == sorted(_subcommands(cli.build_parser()))


@pytest.mark.parametrize("command", sorted(_subcommands(cli.build_parser())))
def test_each_command_s_options_are_those_of_the_doc(command: str) -> None:
    doc = section(read_doc("command-line.md"), "## Commands")
    parser = _subcommands(cli.build_parser())[command]
    assert _doc_options(section(doc, f"### {command}")) == _parser_options(parser)


def test_global_options_and_exit_codes_are_those_of_the_doc() -> None:
    doc = read_doc("command-line.md")
    assert _doc_options(section(doc, "## Global options")) == _parser_options(cli.build_parser())
    codes = {int(code) for code in first_column(section(doc, "## Exit codes"))}
    assert codes == {cli.EXIT_OK, cli.EXIT_ERROR, cli.EXIT_USAGE, cli.EXIT_SERVER_JOB, 130}


# --- The documents themselves ---------------------------------------------------------------


def test_docs_send_no_reader_outside_the_repository() -> None:
    """Documents outside the repository are caught by the citation test below (docs/ included);
    here: no link leaves the repository."""
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)]+)\)", text):
            assert "://" not in target, f"{path.name} links outside: {target}"


def test_links_between_docs_resolve_to_a_file_and_heading() -> None:
    for path in sorted(DOCS.glob("*.md")):
        for target in re.findall(r"\]\(([^)]+)\)", path.read_text(encoding="utf-8")):
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            assert linked.is_file(), f"{path.name}: {target}"
            if anchor:
                assert anchor in anchors(linked.read_text(encoding="utf-8")), (
                    f"{path.name}: {target}"
                )


def test_the_index_lists_every_doc() -> None:
    index = read_doc("README.md")
    for path in sorted(DOCS.glob("*.md")):
        if path.name != "README.md":
            assert f"]({path.name})" in index, path.name


# --- Citations in the code ------------------------------------------------------------------

#: Where citations live: the code, the tests, packaging, CI, resources and the top-level files.
CITING = ("coordinator_app", "tests", "installer", ".ci", "resources", "docs")
CITING_FILES = ("README.md", "pyproject.toml")
OUTSIDE = re.compile(
    r"\b(?:" + "|".join(("DESIGN", "FIELD-NOTES", "CONVENTIONS", "JOURNEYS")) + r")\b"
)
DOCS_PATH = re.compile(r"(?:^|[^\w./-]|\.\./)docs/([\w-]+\.md)(?:#([\w-]+))?")


def citing_texts() -> list[tuple[Path, str]]:
    paths = [ROOT / name for name in CITING_FILES]
    for folder in CITING:
        paths += sorted(p for p in (ROOT / folder).rglob("*") if p.is_file())
    texts = []
    for path in paths:
        if "__pycache__" in path.parts or path == Path(__file__).resolve():
            continue
        try:
            texts.append((path, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:  # images, fonts, fixture databases
            continue
    return texts


def test_nothing_cites_a_document_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, text in citing_texts()
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert not found, "cite docs/ instead:\n" + "\n".join(found)


def test_every_cited_doc_and_section_exists() -> None:
    cited = 0
    for path, text in citing_texts():
        for number, line in enumerate(text.splitlines(), start=1):
            for name, anchor in DOCS_PATH.findall(line):
                cited += 1
                where = f"{path.relative_to(ROOT)}:{number}"
                assert (DOCS / name).is_file(), f"{where} cites docs/{name}, which does not exist"
                if anchor:
                    assert anchor in anchors(read_doc(name)), (
                        f"{where} cites docs/{name}#{anchor}, which has no such heading"
                    )
    assert cited > 30  # the code does cite its contracts
