"""What the bundle leaves out, shared by the spec (at build time) and `build.py` (the report).

The app draws with QtCore, QtGui and QtWidgets, prints through QtPrintSupport, shows an SVG icon
(Qt's SVG icon engine, so libQt6Svg stays) and draws Home's charts with pyqtgraph over numpy.
Everything else Qt or Python brings along is left out here.

Pitfall: a pattern that matches a library a kept library links against would give a bundle that
starts on the build machine (the system copy is found) and fails on a coordinator's laptop.
`prune_toc` therefore puts back every pruned binary that a kept binary still needs (its ELF
``DT_NEEDED``), and says so.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path, PurePosixPath

#: Python modules never imported by the app. pyqtgraph tries QtSvg and QtTest inside ``try`` (a
#: failed import is fine) but imports QtOpenGL and QtOpenGLWidgets outright (0.14, through
#: ``pyqtgraph.Qt.OpenGLHelpers``) without ever drawing with OpenGL for the app: those two are
#: left out (9 MB) and ``rthook_no_opengl.py`` stands in for them. numpy stays: pyqtgraph needs
#: it. The bundle test's self-check draws Home's charts in the frozen app to prove all this.
# fmt: off
EXCLUDED_MODULES = [
    # Qt modules the app does not use (QtPrintSupport stays: printing).
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuick3D",
    "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets", "PySide6.QtWebChannel", "PySide6.QtMultimedia",
    "PySide6.QtNetwork", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSql",
    "PySide6.QtTest", "PySide6.QtDBus", "PySide6.QtDesigner", "PySide6.QtHelp",
    "PySide6.QtUiTools", "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtSvg",
    "PySide6.QtSvgWidgets", "PySide6.QtCharts", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    # Other Qt bindings pyqtgraph would try.
    "PyQt5", "PyQt6", "PySide2",
    # pyqtgraph's optional parts: 3D (PyOpenGL), notebooks, examples and the science stack.
    "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter", "OpenGL", "scipy",
    "matplotlib", "h5py", "pandas", "numba", "cupy", "colorcet", "IPython", "jupyter_rfb",
    # numpy's build and test tooling, and the parts pyqtgraph's bar and line charts never call
    # (random numbers: 2.5 MB, FFT: 0.5 MB; numpy imports both lazily, on first use).
    "numpy.f2py", "numpy.distutils", "numpy.random", "numpy.fft", "numpy.testing",
    # Development and test tools.
    # (python_calamine stays: it reads .xls and .ods for import, consolidate and standards.)
    "tkinter", "_tkinter", "unittest", "pytest", "_pytest", "pytestqt", "hypothesis",
    "setuptools", "pip", "distutils", "lib2to3", "idlelib", "ensurepip",
    "pydoc_data", "test",
    # SQLAlchemy's dialects of databases the app never opens (it opens SQLite and PostgreSQL
    # only: core/engine.py) and the test suites SQLAlchemy and Alembic ship.
    "sqlalchemy.dialects.mysql", "sqlalchemy.dialects.mssql", "sqlalchemy.dialects.oracle",
    "sqlalchemy.testing", "alembic.testing",
    # The type checker (a test dependency): SQLAlchemy's mypy plugin would pull it in, 4 MB.
    "mypy", "mypyc", "mypy_extensions", "ast_serialize", "sqlalchemy.ext.mypy",
    # No terminal: readline. (Python's ssl stays, 5 MB: psycopg imports it to set up OpenSSL
    # before its libpq does; cProfile stays: pyqtgraph.debug imports it.)
    "readline",
    # East Asian text codecs (1 MB): the app reads and writes UTF-8 only (xlsx is UTF-8 XML).
    "_codecs_cn", "_codecs_hk", "_codecs_iso2022", "_codecs_jp", "_codecs_kr", "_codecs_tw",
    "_multibytecodec",
    # lxml: openpyxl uses lxml.etree only.
    "lxml.objectify", "lxml.html", "lxml.isoschematron", "lxml.sax", "lxml.cssselect",
    # keyring's Linux backend (the Secret Service through SecretStorage) needs the 12 MB
    # cryptography library; without it the Linux bundle finds no password store and asks for a
    # trust server's password at each start (File > Database… says so). Windows (Credential
    # Manager) and macOS (Keychain) do not use these, and a pip install keeps them.
    "secretstorage", "cryptography",
]
# fmt: on

#: Bundle paths (as in the folder, ``/`` separated) left out. Qt plugins: only the xcb window
#: system (X11 and XWayland: a Wayland session falls back to it) and offscreen (tests, CI) stay;
#: no Wayland, EGLFS, VNC, linuxfb, no GL integrations (the app never uses OpenGL), no GTK theme
#: (it would drag in the build machine's GTK, cairo and pango), no rare image formats.
PRUNED_PATHS = [
    "PySide6/*translations/*",
    "PySide6/*qml/*",
    "PySide6/*plugins/egldeviceintegrations/*",
    "PySide6/*plugins/generic/*",
    "PySide6/*plugins/wayland-*/*",
    "PySide6/*plugins/xcbglintegrations/*",
    "PySide6/*plugins/platformthemes/*gtk3*",
    "PySide6/*plugins/platforminputcontexts/*virtualkeyboard*",
    "PySide6/*plugins/imageformats/*tiff*",
    "PySide6/*plugins/imageformats/*webp*",
    "PySide6/*plugins/imageformats/*tga*",
    "PySide6/*plugins/imageformats/*wbmp*",
    "PySide6/*plugins/imageformats/*icns*",
    "PySide6/*plugins/imageformats/*pdf*",
    "PySide6/*plugins/imageformats/*jpeg*",
    "PySide6/*plugins/qmltooling/*",
    "PySide6/*plugins/sqldrivers/*",
    "PySide6/*plugins/multimedia/*",
    "PySide6/*plugins/networkinformation/*",
    "PySide6/*plugins/tls/*",
    "PySide6/*plugins/designer/*",
    "PySide6/*plugins/scenegraph/*",
    "PySide6/*plugins/renderers/*",
    "PySide6/*plugins/sceneparsers/*",
    "PySide6/*plugins/geometryloaders/*",
    "PySide6/*plugins/position/*",
    "PySide6/*plugins/canbus/*",
    "PySide6/*plugins/sensors/*",
    "PySide6/*plugins/texttospeech/*",
    "PySide6/*plugins/webview/*",
    "PySide6/*plugins/virtualkeyboard/*",
    # pyqtgraph's own application icon (1 MB), set only when pyqtgraph makes the QApplication.
    "pyqtgraph/icons/peegee/*",
    # pyqtgraph's named colour maps (0.6 MB), read from disk only by ``pg.colormap.get``.
    "pyqtgraph/colors/maps/*",
    # Windows: Mesa's software OpenGL (20.6 MB), for machines without an OpenGL driver, and
    # Direct3D's shader compiler (4 MB), for Qt Quick and OpenGL over Direct3D. The app draws
    # its widgets and charts with the raster engine and uses neither; a kept library that
    # links against one still gets it back (prune_toc).
    "PySide6/opengl32sw.dll",
    "PySide6/d3dcompiler_*.dll",
    # Windows: Qt's Direct2D platform plugin is pruned by KEPT_PLATFORMS (qwindows stays), its
    # touch (generic) plugins above; Qt's own executables are never collected by PyInstaller.
]
#: Platform plugins kept (all others in ``plugins/platforms`` are pruned).
KEPT_PLATFORMS = ("xcb", "offscreen", "windows", "cocoa")
#: Library name prefixes left out, wherever they are in the bundle: Qt libraries only the pruned
#: plugins use, the GTK stack the GTK theme plugin pulled in (GIO, HarfBuzz, libjpeg, libmount...
#: 5.5 MB that nothing kept links against), and what only the CUPS and D-Bus client libraries
#: need (GnuTLS, Kerberos, Avahi, libsystemd, libgcrypt: 11 MB; see ``FROM_THE_SYSTEM``).
# fmt: off
PRUNED_LIBS = (
    "libQt6Wayland", "libQt6WlShellIntegration", "libQt6EglF", "libQt6Qml", "libQt6Quick",
    "libQt6Pdf", "libQt6VirtualKeyboard", "libQt6Network", "libQt6OpenGL", "libQt6Test",
    "libwayland-", "libgtk-3", "libgdk-3", "libgdk_pixbuf", "libcairo", "libpango",
    "libatk", "libatspi", "libepoxy", "libpixman", "libthai", "libdatrie", "libXcomposite",
    "libXcursor", "libXdamage", "libXi.", "libXinerama", "libXrandr", "libfribidi",
    "Qt6Wayland", "Qt6Qml", "Qt6Quick", "Qt6Pdf", "Qt6Network", "Qt6OpenGL", "Qt6Test",
    "Qt6VirtualKeyboard",
    "libgio-2.0", "libgobject-2.0", "libgmodule-2.0", "libharfbuzz", "libgraphite2", "libjpeg",
    "libmount", "libblkid", "libselinux", "libbsd", "libmd.", "libXau", "libXdmcp", "libXext",
    "libXrender", "libxcb-glx",
    "libgnutls", "libunistring", "libp11-kit", "libgmp", "libnettle", "libhogweed", "libidn2",
    "libtasn1", "libgssapi_krb5", "libkrb5", "libk5crypto", "libcom_err", "libkeyutils",
    "libavahi", "libsystemd", "libgcrypt", "libgpg-error", "liblz4", "libcap.",
    "libpcre2-8", "libexpat", "libpng16", "libbrotli", "libbz2",
)
#: Libraries loaded from the machine the app runs on, never bundled, even though a kept library
#: links against them. CUPS's client library (``libcups.so.2``, linked by Qt's CUPS print
#: plugin) talks to the machine's own print server and belongs with it; a Linux desktop that
#: prints has it. Where it is missing the plugin does not load and Qt offers printing to PDF
#: only, which is all such a machine could do anyway (checked by renaming the plugin's
#: dependency in a built bundle: it still starts and writes the minutes as a PDF).
#:
#: D-Bus's client library (``libdbus-1.so.3``, which Qt Gui links through Qt D-Bus) is in the
#: same position: it belongs with the machine's D-Bus daemon, every Linux desktop has it (the
#: PySide6 wheel itself requires it from the system), and bundling it dragged in libsystemd
#: and libgcrypt (3 MB). Like glibc, libGL and libxcb, it is a requirement of the machine.
#:
#: The same holds for the rest of what the PySide6 wheel itself requires from the machine (see
#: docs/engineering-notes.md#qt-headless: GLib, X11, xkbcommon, fontconfig and FreeType; 5.6 MB
#: with what they pull in). Taking them from the machine also keeps fontconfig in step with the
#: machine's own ``/etc/fonts`` (an older bundled copy warns about elements it does not know).
FROM_THE_SYSTEM = (
    "libcups.so", "libdbus-1.so", "libglib-2.0.so", "libgthread-2.0.so", "libX11.so",
    "libX11-xcb.so", "libxkbcommon.so", "libxkbcommon-x11.so", "libfontconfig.so",
    "libfreetype.so",
)
# fmt: on


def is_pruned(dest: str) -> bool:
    """Whether the bundle path ``dest`` is left out (before the closure check)."""
    path = PurePosixPath(dest.replace("\\", "/"))
    text = str(path)
    if any(fnmatch.fnmatch(text, pattern) for pattern in PRUNED_PATHS):
        return True
    if path.parent.name == "platforms" and "plugins" in path.parts:
        return not any(name in path.name for name in KEPT_PLATFORMS)
    return path.name.startswith(PRUNED_LIBS) or is_from_the_system(dest)


def is_from_the_system(dest: str) -> bool:
    """Whether ``dest`` is left for the machine to provide (never put back)."""
    return PurePosixPath(dest.replace("\\", "/")).name.startswith(FROM_THE_SYSTEM)


def _needed(src: str) -> set[str]:
    """The file names ``src`` itself links against (empty when it cannot be read).

    On Linux these are the ELF ``DT_NEEDED`` entries (``objdump -p``), not ``ldd``'s answer:
    ``ldd`` also lists what the machine's own libraries need (libcups's GnuTLS, libxcb's
    libXau), which the bundle must not carry for them.
    """
    if sys.platform.startswith("linux"):
        try:
            out = subprocess.run(
                ["objdump", "-p", src], capture_output=True, text=True, check=True
            ).stdout
        except (OSError, subprocess.CalledProcessError):  # a data file: nothing to keep for it
            return set()
        return set(re.findall(r"^\s*NEEDED\s+(\S+)$", out, re.M))
    from PyInstaller.depend.bindepend import get_imports

    try:
        return {PurePosixPath(name.replace("\\", "/")).name for name, _ in get_imports(src)}
    except Exception:  # a data file or an unreadable binary: nothing to keep for it
        return set()


def prune_toc(binaries: list, datas: list) -> tuple[list, list]:
    """``(binaries, datas)`` without the pruned entries, keeping every library still needed.

    Entries are PyInstaller TOC tuples ``(dest, src, typecode)``.
    """
    kept = [entry for entry in binaries if not is_pruned(entry[0])]
    pruned = {
        PurePosixPath(e[0].replace("\\", "/")).name: e
        for e in binaries
        if is_pruned(e[0]) and not is_from_the_system(e[0])
    }
    todo = list(kept)
    while todo:
        entry = todo.pop()
        for name in _needed(entry[1]) & pruned.keys():
            back = pruned.pop(name)
            print(f"lean: keeping {back[0]}: {entry[0]} links against it", file=sys.stderr)
            kept.append(back)
            todo.append(back)
    kept_datas = [entry for entry in datas if not is_pruned(entry[0])]
    system = [entry[0] for entry in binaries if is_from_the_system(entry[0])]
    print(
        f"lean: left out {len(pruned)} binaries and {len(datas) - len(kept_datas)} data files; "
        f"from the system: {', '.join(system) or 'none'}",
        file=sys.stderr,
    )
    return kept, kept_datas


def strip_binaries(binaries: list, workdir: Path) -> list:
    """``binaries`` with Linux debug symbols stripped, into copies under ``workdir``.

    PyInstaller's own ``strip=True`` strips everything, and that breaks the libraries a wheel
    vendors in ``<package>.libs/`` (auditwheel rewrites their headers with patchelf): numpy's
    OpenBLAS then fails to load with "ELF load command address/offset not page-aligned", and
    Home's charts with it. Those are left as they are (stripping them saved only 2 MB anyway).
    Without ``strip`` (binutils) the build still works, only bigger.
    """
    strip = shutil.which("strip")
    if not sys.platform.startswith("linux") or strip is None:
        return binaries
    result = []
    for dest, src, typecode in binaries:
        source = Path(src)
        if typecode in ("BINARY", "EXTENSION") and not source.parent.name.endswith(".libs"):
            target = workdir / "stripped" / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            target.chmod(target.stat().st_mode | stat.S_IWUSR)
            if subprocess.run([strip, str(target)], capture_output=True).returncode == 0:
                src = str(target)
        result.append((dest, src, typecode))
    return result
