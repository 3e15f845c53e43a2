"""Risky places for a SQLite file: network shares and cloud-synced folders.

SQLite's locking and its write-ahead log do not work on network file systems, and sync clients
(OneDrive, Dropbox, iCloud Drive, Google Drive, Box) copy a database file while it is being
written or replace it with another laptop's copy: both corrupt databases
(docs/engineering-notes.md#sqlite-and-alembic). The app warns when the database or the backups
folder is in such a place; it never refuses.

Detection is by what can be known without the network: a UNC path (``\\\\server\\share``) or a
mapped network drive on Windows, the mount's file-system type on Linux (``/proc/mounts``: nfs,
cifs, smbfs, fuse.* such as sshfs or rclone, ...), and a folder name of a sync client anywhere in
the path. Pitfall: a folder merely NAMED "Dropbox" that is not synced is flagged too; the warning
words say "appears to be", and the user can carry on.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath

#: Folder names used by sync clients (compared case-insensitively, as whole path components or
#: as their start: "OneDrive - NHS Trust", "Dropbox (Personal)", "Google Drive", "Box Sync").
SYNC_FOLDER_PREFIXES: dict[str, str] = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "icloud drive": "iCloud Drive",
    "icloud~": "iCloud Drive",  # macOS: Library/Mobile Documents/com~apple~CloudDocs
    "com~apple~clouddocs": "iCloud Drive",
    "icloud": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "box": "Box",
    "box sync": "Box",
    "sharepoint": "OneDrive",
}

#: Linux file-system types that are network or user-space (often remote) mounts.
NETWORK_FS_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smbfs", "smb3", "ncpfs", "afs", "9p", "ceph", "glusterfs",
     "davfs", "fuse.sshfs", "fuse.rclone", "fuse.davfs2", "fuse.gvfsd-fuse", "lustre"}
)  # fmt: skip


@dataclass(frozen=True)
class RiskyPlace:
    """Why a path is a risky place for the database: ``kind`` is "network" or "sync"."""

    path: str
    kind: str
    service: str

    def sentence(self, what: str = "The database") -> str:
        """One plain sentence for the user."""
        if self.kind == "network":
            return (
                f"{what} at {self.path} appears to be on a network share ({self.service}); "
                "SQLite files there can be damaged. Keep it on this computer's own disk."
            )
        return (
            f"{what} at {self.path} appears to be inside a folder synced by {self.service}; "
            "syncing can damage the database while it is open. Keep it in a folder that is "
            "not synced, and let the app's backups do the copying."
        )


def sync_service(path: str | os.PathLike[str]) -> str | None:
    """The sync client whose folder ``path`` is inside (by folder names), or None."""
    text = os.fspath(path)
    pure: PurePath = PureWindowsPath(text) if ("\\" in text or _is_drive(text)) else PurePath(text)
    for part in pure.parts:
        name = part.strip().casefold().rstrip("\\/")
        for prefix, service in SYNC_FOLDER_PREFIXES.items():
            if name == prefix or _starts_word(name, prefix):
                return service
    return None


def _starts_word(name: str, prefix: str) -> bool:
    if not name.startswith(prefix) or prefix in ("box", "icloud", "my drive"):
        return False  # "boxes", "icloudphotos", "my drive stuff": only exact names for these
    rest = name[len(prefix) :]
    return rest[:1] in (" ", "-", "_", "(", "~", ".")


def _is_drive(text: str) -> bool:
    return len(text) >= 2 and text[1] == ":" and text[0].isalpha()


def is_unc(path: str | os.PathLike[str]) -> bool:
    text = os.fspath(path)
    return text.startswith("\\\\") or text.startswith("//")


def mount_fs_type(path: str | os.PathLike[str], mounts_text: str | None = None) -> str | None:
    """The file-system type of the mount holding ``path`` on Linux (longest mount point that
    contains it), from ``/proc/mounts`` or ``mounts_text``; None when unknown."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = PurePath(os.path.abspath(os.fspath(path)))
    best: tuple[int, str] | None = None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = PurePath(fields[1].replace("\\040", " "))
        if target == mount_point or mount_point in target.parents:
            depth = len(mount_point.parts)
            if best is None or depth > best[0]:
                best = (depth, fields[2])
    return best[1] if best else None


def _windows_network_drive(path: str) -> bool:
    """A mapped network drive letter (Windows only; GetDriveTypeW says DRIVE_REMOTE)."""
    if sys.platform != "win32" or not _is_drive(path):
        return False
    import ctypes

    drive_remote = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(f"{path[0]}:\\") == drive_remote)  # type: ignore[attr-defined]


def risky_place(
    path: str | os.PathLike[str] | None, *, mounts_text: str | None = None
) -> RiskyPlace | None:
    """Why ``path`` (a database file or a folder) is a risky place, or None when it looks safe.

    ``mounts_text`` replaces ``/proc/mounts`` (tests). Never raises for an odd path.
    """
    if path is None:
        return None
    text = os.fspath(path)
    if not text or "://" in text:
        return None
    if is_unc(text):
        return RiskyPlace(text, "network", "a Windows share")
    if _windows_network_drive(text):
        return RiskyPlace(text, "network", f"network drive {text[0].upper()}:")
    if sys.platform.startswith("linux") or mounts_text is not None:
        fs_type = mount_fs_type(text, mounts_text)
        if fs_type and (fs_type in NETWORK_FS_TYPES or fs_type.startswith("fuse.")):
            return RiskyPlace(text, "network", fs_type)
    service = sync_service(text)
    if service:
        return RiskyPlace(text, "sync", service)
    return None


def risky_places(
    database: str | os.PathLike[str] | None,
    backups: str | os.PathLike[str] | None,
    *,
    mounts_text: str | None = None,
) -> list[str]:
    """Warnings (one sentence each) for the database file and the backups folder."""
    found = []
    for what, where in (("The database", database), ("The backups folder", backups)):
        place = risky_place(where, mounts_text=mounts_text)
        if place is not None:
            found.append(place.sentence(what))
    return found
