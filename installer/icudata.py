"""A smaller ICU data library for the Linux bundle: 32 MB of ICU data down to about 4 MB.

Qt Core links ICU, and ICU's data (``libicudata.so.NN``, one symbol ``icudtNN_dat`` holding an
ICU "common data" package) is the biggest file in the bundle. Qt 6 calls ICU for four things
only (the ``*_73`` symbols ``libQt6Core`` imports): case mapping (``u_strToUpper``; its tables
are built into ``libicuuc``, not the data), collation (``ucol_*``: ``QCollator``, which Qt's
file dialog uses to sort names), time-zone names (``ucal_*``) and legacy text encodings
(``ucnv_*``, only for ``QStringDecoder("windows-1252")`` and the like, which the app never
asks for). So the package keeps the collation tree, the zone names, the calendar and
supplemental data, for English and the root locale, and drops break iterators and their
dictionaries, transliterators, unit, currency, language and region names, number spelling,
converters, StringPrep profiles, spoof data and character names.

A coordinator whose system locale is not English still gets a working collator: ICU falls back
to the root collation (the Unicode default order), which is what English uses anyway.

Pitfall: the package's table of contents is searched by binary search over the item names, so
the items must stay in their original (sorted) order; each item starts on a 16-byte boundary.
The library is rebuilt with ``as`` and ``ld`` (binutils, which PyInstaller needs on Linux
anyway); without them, or for a package this code does not recognise, the original library
stays and the build says so.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path, PurePosixPath

#: Locale-named items kept (every tree): English and the fallbacks every lookup ends at.
KEPT_LANGUAGES = ("en",)
KEPT_LOCALE_ITEMS = ("root", "pool", "res_index")
#: Whole trees Qt never reaches.
DROPPED_TREES = ("brkitr", "curr", "lang", "rbnf", "region", "translit", "unit")
#: Top-level items Qt never reaches: converters, StringPrep profiles, spoof checks, names.
DROPPED_SUFFIXES = (".cnv", ".spp", ".cfu")
DROPPED_ITEMS = ("unames.icu",)
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*$")
#: A ``readelf -S -W`` line of a section with contents: address, file offset, size.
_SECTION = re.compile(r"\s*\[\s*\d+\]\s+\S+\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)")


def keep_item(name: str) -> bool:
    """Whether the package item ``name`` (``icudt73l/coll/en_GB.res``) stays."""
    parts = name.split("/")[1:]  # without the package prefix
    if len(parts) > 1 and parts[0] in DROPPED_TREES:
        return False
    leaf = parts[-1]
    if leaf in DROPPED_ITEMS or leaf.endswith(DROPPED_SUFFIXES):
        return False
    stem = leaf.rsplit(".", 1)[0]
    if stem in KEPT_LOCALE_ITEMS or not _LOCALE.match(stem):
        return True  # not a locale: supplemental data, time zones, collation root data...
    return stem.split("_")[0] in KEPT_LANGUAGES


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """``(header, [(name, item bytes), ...])`` of a little-endian ICU common data package."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    count = struct.unpack_from("<I", blob, header_size)[0]
    entries = struct.unpack_from(f"<{2 * count}I", blob, header_size + 4)
    toc = header_size  # the offsets count from the table of contents
    items = []
    for i in range(count):
        name_at, data_at = entries[2 * i], entries[2 * i + 1]
        name = blob[toc + name_at : blob.index(b"\0", toc + name_at)].decode("ascii")
        end = entries[2 * i + 3] if i + 1 < count else len(blob) - toc
        items.append((name, blob[toc + data_at : toc + end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package holding ``items`` (in the given order) after ``header``."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    data_start = _align(toc_size + len(names))
    entries, offset, name_at = [], data_start, toc_size
    for name, data in items:
        entries += [name_at, offset]
        name_at += len(name) + 1
        offset += _align(len(data))
    body = b"".join(data + b"\0" * (_align(len(data)) - len(data)) for _, data in items)
    toc = struct.pack(f"<I{len(entries)}I", len(items), *entries) + names
    return header + toc + b"\xaa" * (data_start - len(toc)) + body


def _align(size: int) -> int:
    return (size + 15) // 16 * 16


def slim_package(blob: bytes) -> bytes:
    header, items = read_package(blob)
    return write_package(header, [(name, data) for name, data in items if keep_item(name)])


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found (install binutils)")
    return path


def extract_data(library: Path) -> tuple[str, bytes]:
    """``(symbol, package)``: the ``icudtNN_dat`` symbol's bytes, read with ``readelf``."""
    symbols = subprocess.run(
        [_tool("readelf"), "--dyn-syms", "-W", str(library)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r":\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL.*\s(icudt\d+_dat)$",
                      symbols, re.M)  # fmt: skip
    if found is None:
        raise ValueError(f"{library.name} has no icudtNN_dat symbol")
    address, size, symbol = int(found[1], 16), int(found[2], 0), found[3]
    sections = subprocess.run(
        [_tool("readelf"), "-S", "-W", str(library)], capture_output=True, text=True, check=True
    ).stdout
    for line in sections.splitlines():
        fields = _SECTION.match(line)
        if fields is None:
            continue
        start, offset, length = (int(field, 16) for field in fields.groups())
        if start <= address < start + length:
            with open(library, "rb") as stream:
                stream.seek(offset + address - start)
                return symbol, stream.read(size)
    raise ValueError(f"{library.name}: {symbol} is in no section with contents")


def build_library(symbol: str, package: bytes, soname: str, workdir: Path) -> Path:
    """A shared library named ``soname`` exporting ``symbol`` = ``package`` (16-byte aligned)."""
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / f"{symbol}.dat"
    data.write_bytes(package)
    source = workdir / f"{symbol}.s"
    source.write_text(
        "\t.section .rodata\n\t.balign 16\n"
        f"\t.globl {symbol}\n\t.type {symbol}, @object\n{symbol}:\n"
        f'\t.incbin "{data.name}"\n\t.size {symbol}, . - {symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n',
        encoding="ascii",
    )
    obj = workdir / f"{symbol}.o"
    subprocess.run([_tool("as"), "-o", str(obj), str(source)], check=True, cwd=workdir)
    library = workdir / soname
    subprocess.run(
        [_tool("ld"), "-shared", "-soname", soname, "-z", "noexecstack", "-o", str(library),
         str(obj)],
        check=True,
    )  # fmt: skip
    return library


def slim_icu(binaries: list, workdir: Path) -> list:
    """``binaries`` (PyInstaller TOC tuples) with ``libicudataNN`` replaced by a slim copy.

    A no-op where no ``libicudata`` is bundled (Windows and macOS use the system's ICU).
    """
    result = []
    for dest, src, typecode in binaries:
        name = PurePosixPath(dest.replace("\\", "/")).name
        if re.fullmatch(r"libicudata\.so\.\d+", name) and sys.platform.startswith("linux"):
            try:
                symbol, package = extract_data(Path(src))
                slim = slim_package(package)
                src = str(build_library(symbol, slim, name, workdir / "icudata"))
                print(
                    f"lean: ICU data {len(package) / 1e6:.1f} MB -> {len(slim) / 1e6:.1f} MB "
                    f"({dest})",
                    file=sys.stderr,
                )
            except (OSError, ValueError, RuntimeError, subprocess.CalledProcessError) as exc:
                print(f"lean: ICU data left whole ({exc})", file=sys.stderr)
        result.append((dest, src, typecode))
    return result
