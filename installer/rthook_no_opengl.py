"""Runtime hook: stand-ins for PySide6's QtOpenGL and QtOpenGLWidgets, which the bundle leaves out.

pyqtgraph 0.14 imports both when it is imported (``pyqtgraph.Qt.OpenGLHelpers``), although
Home's charts never draw with OpenGL; the real QtOpenGL bindings are 9 MB, the biggest Python
module in the bundle. These stand-ins make the import work: ``QOpenGLWidget`` is a plain
``QWidget`` subclass that refuses to be made, and any other name raises ``AttributeError``, so
code that really wants OpenGL fails with a clear message rather than drawing nothing.

The finder is appended to ``sys.meta_path``: it answers only when no real module was found, so
a bundle that does include the real modules uses them. The Qt import happens only when the
stand-in is imported (after the app's own Qt imports), so start-up pays nothing.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types


class _NoOpenGL(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    NAMES = ("PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets")

    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name in self.NAMES:
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec):  # type: ignore[no-untyped-def]
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        from PySide6.QtWidgets import QWidget

        class QOpenGLWidget(QWidget):
            def __init__(self, *args: object, **kwargs: object) -> None:
                raise RuntimeError("OpenGL drawing is not part of this installation.")

        def __getattr__(name: str) -> object:
            raise AttributeError(f"{module.__name__}.{name} is not part of this installation")

        module.QOpenGLWidget = QOpenGLWidget  # type: ignore[attr-defined]
        module.__getattr__ = __getattr__  # type: ignore[method-assign]


sys.meta_path.append(_NoOpenGL())
