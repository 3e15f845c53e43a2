"""What the bundle leaves out, shared by the spec (at build time) and `build.py` (the report).

The app draws with QtCore, QtGui and QtWidgets, prints through QtPrintSupport, shows an SVG icon
(Qt's SVG icon engine, so libQt6Svg stays) and draws Home's charts with pyqtgraph over numpy.
Everything else Qt or Python brings along is left out here.

Pitfall: a pattern that matches a library a kept library links against would give a bundle that
starts on the build machine (the system copy is found) and fails on a coordinator's laptop.
`prune_toc` therefore puts back every pruned binary that a kept binary still needs (its ELF
``DT_NEEDED``, as PyInstaller's own dependency analysis reads it), and says so.
"""

from __future__ import annotations

import fnmatch
import sys
from pathlib import PurePosixPath

#: Python modules never imported by the app. pyqtgraph tries QtSvg, QtOpenGLWidgets and QtTest
#: inside ``try`` (a failed import is fine); numpy stays: pyqtgraph needs it.
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
    # numpy's build and test tooling.
    "numpy.f2py", "numpy.distutils",
    # Development and test tools.
    "tkinter", "_tkinter", "unittest", "pytest", "_pytest", "pytestqt", "hypothesis",
    "python_calamine", "setuptools", "pip", "distutils", "lib2to3", "idlelib", "ensurepip",
    "pydoc_data", "test",
    # No network, no terminal: TLS (libssl and libcrypto, 5 MB; hashlib falls back to Python's
    # own _sha256 and friends), readline, the profiler.
    "ssl", "_ssl", "_hashlib", "readline", "_lsprof", "cProfile",
    # lxml: openpyxl uses lxml.etree only.
    "lxml.objectify", "lxml.html", "lxml.isoschematron", "lxml.sax", "lxml.cssselect",
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
]
#: Platform plugins kept (all others in ``plugins/platforms`` are pruned).
KEPT_PLATFORMS = ("xcb", "offscreen", "windows", "cocoa")
#: Library name prefixes left out, wherever they are in the bundle: Qt libraries only the pruned
#: plugins use, and the GTK stack the GTK theme plugin pulled in.
# fmt: off
PRUNED_LIBS = (
    "libQt6Wayland", "libQt6WlShellIntegration", "libQt6EglF", "libQt6Qml", "libQt6Quick",
    "libQt6Pdf", "libQt6VirtualKeyboard", "libQt6Network", "libQt6OpenGL", "libQt6Test",
    "libwayland-", "libgtk-3", "libgdk-3", "libgdk_pixbuf", "libcairo", "libpango",
    "libatk", "libatspi", "libepoxy", "libpixman", "libthai", "libdatrie", "libXcomposite",
    "libXcursor", "libXdamage", "libXi.", "libXinerama", "libXrandr", "libfribidi",
    "Qt6Wayland", "Qt6Qml", "Qt6Quick", "Qt6Pdf", "Qt6Network", "Qt6OpenGL", "Qt6Test",
    "Qt6VirtualKeyboard",
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
    return path.name.startswith(PRUNED_LIBS)


def _needed(src: str) -> set[str]:
    """The file names ``src`` links against (empty when it cannot be read)."""
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
    pruned = {PurePosixPath(e[0].replace("\\", "/")).name: e for e in binaries if is_pruned(e[0])}
    todo = list(kept)
    while todo:
        entry = todo.pop()
        for name in _needed(entry[1]) & pruned.keys():
            back = pruned.pop(name)
            print(f"lean: keeping {back[0]}: {entry[0]} links against it", file=sys.stderr)
            kept.append(back)
            todo.append(back)
    kept_datas = [entry for entry in datas if not is_pruned(entry[0])]
    print(
        f"lean: left out {len(pruned)} binaries and {len(datas) - len(kept_datas)} data files",
        file=sys.stderr,
    )
    return kept, kept_datas
