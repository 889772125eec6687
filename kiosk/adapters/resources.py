"""Where kiosk finds its bundled files: the packages `kiosk.resources` and `kiosk.db`.

pyproject.toml maps the top-level `resources/` and `db/` folders to those two packages, so
`importlib.resources` finds them the same way in a checkout (an editable install), an installed
wheel and the PyInstaller one-folder build, whose importer serves them from the bundle's
`kiosk/resources` and `kiosk/db` folders. Callers get real paths: Qt loads fonts and catalogues
by file name.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

RESOURCES_PACKAGE = "kiosk.resources"
DB_PACKAGE = "kiosk.db"
MIGRATION_PATTERN = "[0-9][0-9][0-9][0-9]_*.sql"


class MissingResourcesError(FileNotFoundError):
    """kiosk's bundled files are not where its installation should have put them."""


def _package_folder(package: str) -> Path:
    """The folder of one of kiosk's data packages, as a real path."""
    try:
        folder = files(package)
    except ModuleNotFoundError as error:
        raise MissingResourcesError(
            f"kiosk's bundled package {package} is missing: the installation is incomplete"
            " (in a source checkout, run `pip install -e .`)"
        ) from error
    if not isinstance(folder, Path):  # e.g. imported from a zip file: nothing Qt could open
        raise MissingResourcesError(
            f"kiosk's bundled package {package} is not a folder on disk ({folder}): "
            "install kiosk as a wheel or a one-folder build"
        )
    return folder


def migration_files() -> list[Path]:
    """The numbered SQL migrations, in the order they apply.

    Raises `MissingResourcesError` when there are none, so that opening a database fails
    with the reason rather than the first query with "no such table".
    """
    folder = _package_folder(DB_PACKAGE) / "migrations"
    found = sorted(folder.glob(MIGRATION_PATTERN))
    if not found:
        raise MissingResourcesError(
            f"kiosk's database migrations are missing from {folder}: the installation is incomplete"
        )
    return found


def migrations_dir() -> Path:
    """The folder of the numbered SQL migrations; raises as `migration_files` does."""
    return migration_files()[0].parent


def resource(*parts: str) -> Path:
    """A file under `resources/`, e.g. ``resource("demo", "event.json")``."""
    return _package_folder(RESOURCES_PACKAGE).joinpath(*parts)
