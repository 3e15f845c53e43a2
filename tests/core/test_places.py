"""Risky places: network shares and cloud-synced folders are recognised, ordinary folders not."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordinator_app.core.places import mount_fs_type, risky_place, risky_places, sync_service

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/involvement /mnt/shared cifs rw 0 0
fileserver:/export/home /home/zoe/nfs nfs4 rw 0 0
sian@host: /home/sian/remote fuse.sshfs rw 0 0
/dev/sdb1 /media/Zo\\040USB vfat rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    "path, service",
    [
        (r"C:\Users\Zoë\OneDrive - Coventry and Warwickshire NHS\coordinator.db", "OneDrive"),
        (r"C:\Users\Siân\OneDrive\Documents\coordinator.db", "OneDrive"),
        ("/home/sean/Dropbox/coordinator.db", "Dropbox"),
        ("/home/sean/Dropbox (Personal)/work/coordinator.db", "Dropbox"),
        ("/Users/zoe/Library/Mobile Documents/com~apple~CloudDocs/c.db", "iCloud Drive"),
        (r"C:\Users\Zoë\iCloudDrive\coordinator.db", "iCloud Drive"),
        (r"G:\My Drive\coordinator.db", "Google Drive"),
        ("/Users/zoe/Google Drive/coordinator.db", "Google Drive"),
        (r"C:\Users\Zoë\Box\coordinator.db", "Box"),
    ],
)
def test_synced_folders_are_recognised(path: str, service: str) -> None:
    assert sync_service(path) == service
    place = risky_place(path, mounts_text="")
    assert place is not None and place.kind == "sync" and place.service == service
    assert service in place.sentence()


@pytest.mark.parametrize(
    "path",
    [
        r"C:\Users\Zoë\AppData\Local\InvolvementCoordinator\coordinator.db",
        "/home/sean/.local/share/InvolvementCoordinator/coordinator.db",
        "/home/sean/Boxes/coordinator.db",
        "/home/sean/dropboxes-notes/coordinator.db",
        "/srv/OneDriveless/x.db",
    ],
)
def test_ordinary_folders_are_not_flagged(path: str) -> None:
    assert risky_place(path, mounts_text=MOUNTS) is None


@pytest.mark.parametrize(
    "path", [r"\\fileserver\involvement\coordinator.db", "//fileserver/involvement/c.db"]
)
def test_windows_shares_are_network_places(path: str) -> None:
    place = risky_place(path, mounts_text="")
    assert place is not None and place.kind == "network"
    assert "network share" in place.sentence()


@pytest.mark.parametrize(
    "path, fs_type",
    [
        ("/mnt/shared/coordinator.db", "cifs"),
        ("/home/zoe/nfs/deep/coordinator.db", "nfs4"),
        ("/home/sian/remote/coordinator.db", "fuse.sshfs"),
    ],
)
def test_linux_network_mounts_are_found_from_the_mount_table(path: str, fs_type: str) -> None:
    assert mount_fs_type(path, MOUNTS) == fs_type
    place = risky_place(path, mounts_text=MOUNTS)
    assert place is not None and place.kind == "network" and place.service == fs_type


def test_the_longest_mount_point_wins_and_escaped_spaces_are_read() -> None:
    assert mount_fs_type("/home/zoe/other.db", MOUNTS) == "ext4"
    assert mount_fs_type("/media/Zo USB/c.db", MOUNTS) == "vfat"
    assert risky_place("/media/Zo USB/c.db", mounts_text=MOUNTS) is None


def test_both_database_and_backups_folder_are_checked(tmp_path: Path) -> None:
    warnings = risky_places(
        tmp_path / "coordinator.db", "/home/sean/Dropbox/backups", mounts_text=MOUNTS
    )
    assert len(warnings) == 1 and warnings[0].startswith("The backups folder")


def test_server_urls_and_nothing_are_not_places() -> None:
    assert risky_place("postgresql://h/db") is None
    assert risky_place(None) is None
    assert risky_place("") is None


def test_this_machines_temporary_folder_is_not_risky(tmp_path: Path) -> None:
    assert risky_place(tmp_path / "coordinator.db") is None
