"""Only what pyproject.toml cannot say: ``resources/`` (kept at the top of the repository, one
copy in git) is installed as the package ``coordinator_app.resources``, so a wheel carries the
fonts, icons, style sheet, templates, default framework and samples, and the app finds them
through ``importlib.resources`` (``coordinator_app/core/resources.py``). Which files go is
``[tool.setuptools.package-data]`` in pyproject.toml; everything else about the project is there.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["coordinator_app*"]), "coordinator_app.resources"],
    package_dir={"coordinator_app.resources": "resources"},
)
