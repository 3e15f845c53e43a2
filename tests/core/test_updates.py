"""The update check (core/updates.py): it reads only where IT says, says "Version 1.2 is
available from …", and never downloads or installs anything."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from coordinator_app import __version__
from coordinator_app.core import policy, updates

SHARE_SETUP = r"\\trustfs01\apps\InvolvementCoordinator\InvolvementCoordinator-99.2-setup.exe"


def latest(folder: Path, version: str, download: str | None = SHARE_SETUP) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[Involvement Coordinator]", f"version = {version}"]
    if download is not None:
        lines.append(f"download = {download}")
    (folder / "latest.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_nothing_is_read_when_no_source_is_set(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv(policy.FILE_VARIABLE, str(tmp_path / "none.ini"))

    def never(location: str) -> str:
        raise AssertionError(f"read {location}")

    monkeypatch.setattr(updates, "read_manifest", never)
    assert updates.check() is None
    assert updates.check("") is None


def test_a_newer_version_on_a_share_is_named_with_where_to_get_it(tmp_path: Path) -> None:
    found = updates.check(str(latest(tmp_path / "share", "99.2")), current="1.1")
    assert found is not None
    assert found.sentence() == f"Version 99.2 is available from {SHARE_SETUP}."
    assert not list((tmp_path / "share").glob("*.exe"))  # nothing fetched or written


def test_the_same_or_an_older_version_says_nothing(tmp_path: Path) -> None:
    share = str(latest(tmp_path / "share", __version__))
    assert updates.check(share) is None
    assert updates.check(str(latest(tmp_path / "older", "0.0.1"))) is None
    assert updates.check(str(latest(tmp_path / "same", "1.2")), current="1.2.0") is None


def test_without_a_download_line_the_source_is_where_to_get_it(tmp_path: Path) -> None:
    share = latest(tmp_path / "share", "99.0", download=None)
    found = updates.check(str(share / "latest.ini"), current="1.0")
    assert found is not None and found.where == str(share)


def test_the_source_may_come_from_it_s_policy(monkeypatch, tmp_path: Path) -> None:
    share = latest(tmp_path / "share", "99.0")
    file = tmp_path / "policy.ini"
    file.write_text(f"[Involvement Coordinator]\nupdate_source = {share}\n", encoding="utf-8")
    monkeypatch.setenv(policy.FILE_VARIABLE, str(file))
    found = updates.check(current="1.0")
    assert found is not None and found.version == "99.0"


@pytest.fixture()
def intranet(tmp_path: Path) -> Iterator[str]:
    """An intranet address: a local web server over a folder holding latest.ini."""
    site = latest(tmp_path / "site" / "apps", "99.1", "https://intranet.example/apps/setup.exe")
    handler = partial(SimpleHTTPRequestHandler, directory=str(site.parent))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/apps/"
    finally:
        server.shutdown()
        server.server_close()


def test_an_intranet_address_is_read(intranet: str) -> None:
    found = updates.check(intranet, current="1.0")
    assert found is not None
    assert (
        found.sentence()
        == "Version 99.1 is available from https://intranet.example/apps/setup.exe."
    )


def test_a_source_that_cannot_be_read_is_one_sentence(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    with pytest.raises(updates.UpdateCheckError) as caught:
        updates.check(str(missing))
    assert str(missing) in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(updates.UpdateCheckError, match="not an intranet address"):
        updates.check("ftp://trustfs01/apps/")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "latest.ini").write_text("version 1.2\n", encoding="utf-8")
    with pytest.raises(updates.UpdateCheckError, match="does not say which version"):
        updates.check(str(tmp_path / "bad"))


@pytest.mark.parametrize(
    ("candidate", "current", "newer"),
    [("1.2", "1.1.9", True), ("1.10", "1.9", True), ("1.2.0", "1.2", False),
     ("v2", "1.99", True), ("1.2rc1", "1.2", False), ("0.1.0", "0.1.0", False)],
)  # fmt: skip
def test_versions_compare_by_their_numbers(candidate: str, current: str, newer: bool) -> None:
    assert updates.is_newer(candidate, current) is newer
