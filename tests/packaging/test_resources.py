"""kiosk.adapters.resources: real paths from importlib.resources, and a clear word when missing."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

from kiosk.adapters import resources
from kiosk.adapters.resources import (
    MissingResourcesError,
    migration_files,
    migrations_dir,
    resource,
)
from tests.packaging.support import CHECKOUT


def test_a_checkout_finds_the_top_level_folders_through_the_editable_install() -> None:
    assert resource("demo", "event.json") == CHECKOUT / "resources" / "demo" / "event.json"
    assert resource("fonts", "DejaVuSans.ttf").is_file()
    assert migrations_dir() == CHECKOUT / "db" / "migrations"
    assert migration_files() == sorted((CHECKOUT / "db" / "migrations").glob("[0-9]*_*.sql"))
    assert migration_files()[0].name.startswith("0001_")


def test_no_migrations_is_an_incomplete_installation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "notes.sql").write_text("-- not a numbered migration\n")

    def files(package: str) -> Traversable:
        assert package == "kiosk.db"
        return tmp_path

    monkeypatch.setattr(resources, "files", files)
    with pytest.raises(MissingResourcesError, match="installation is incomplete") as raised:
        migration_files()
    assert str(tmp_path / "migrations") in str(raised.value)
    assert isinstance(raised.value, FileNotFoundError)  # the CLI reports it in one line
    with pytest.raises(MissingResourcesError, match="migrations are missing"):
        migrations_dir()


def test_a_missing_package_is_an_incomplete_installation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "RESOURCES_PACKAGE", "kiosk.no_such_package")
    with pytest.raises(MissingResourcesError, match=r"kiosk\.no_such_package is missing"):
        resource("fonts", "DejaVuSans.ttf")
