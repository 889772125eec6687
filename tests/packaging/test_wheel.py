"""A wheel of kiosk carries its data, and kiosk installed from it runs outside the checkout.

The wheel is built from a copy of the checkout (a build in place would leave build/ behind,
whose stale files end up in later wheels) and installed without dependencies into a fresh venv,
which borrows them from the running one through a .pth file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk import __version__
from tests.packaging.support import CHECKOUT, check_demo_desk, copy_sources, environment, run

BIN = "Scripts" if sys.platform == "win32" else "bin"


def pip(*args: str) -> None:
    """pip of the running interpreter, which has setuptools>=77 (the `test` extra)."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@dataclass(frozen=True)
class Installed:
    venv: Path
    python: Path
    kiosk: Path
    site_packages: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = copy_sources(tmp_path_factory.mktemp("sources") / "kiosk")
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    pip(
        "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(wheelhouse), str(sources)
    )
    (built,) = wheelhouse.glob("kiosk-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / BIN / "python"
    pip("--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheel))
    env = environment(tmp_path_factory.mktemp("home"))
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = Path(run([str(python), "-c", purelib], venv, env).stdout.strip())
    # The dependencies (PySide6 and the rest) from the running venv: a .pth adds its folders
    # after the fresh venv's own, so kiosk itself is the wheel's. Folders that a .pth adds have
    # their own .pth files ignored, so the checkout's editable install does not come along.
    borrowed = dict.fromkeys(sysconfig.get_path(name) for name in ("purelib", "platlib"))
    (site_packages / "borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n")
    return Installed(venv, python, venv / BIN / "kiosk", site_packages, env)


def test_the_wheel_carries_the_code_migrations_and_resources(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert wheel.name.startswith(f"kiosk-{__version__}-"), "the version is kiosk.__version__"

    # Every module of every package: a package missing from pyproject's list is missing here.
    assert _in_wheel("kiosk", "*.py") - names == set(), (
        "list every package of kiosk/ in pyproject's [tool.setuptools] packages"
    )
    assert _in_wheel("db", "*.sql") - names == set()
    assert _in_wheel("resources") - names == set(), (
        "list a new folder of resources/ in pyproject's packages and package-data"
    )
    assert {"kiosk/db/__init__.py", "kiosk/resources/__init__.py"} <= names
    for suffix in (".sql", ".ttf", ".qss", ".qm"):
        assert any(name.endswith(suffix) for name in names), f"no {suffix} file in the wheel"
    assert {"kiosk/resources/demo/attendees.csv", "kiosk/resources/demo/event.json"} <= names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def _in_wheel(folder: str, pattern: str = "*") -> set[str]:
    """Where a checkout folder's files belong in the wheel (db/ and resources/ go into kiosk/)."""
    base = CHECKOUT / folder
    package = folder if folder == "kiosk" else f"kiosk/{folder}"
    return {
        f"{package}/{path.relative_to(base).as_posix()}"
        for path in base.rglob(pattern)
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_installed_kiosk_is_the_wheels_and_finds_its_files_there(
    installed: Installed, tmp_path: Path
) -> None:
    script = (
        "import json, kiosk, kiosk.db, kiosk.resources\n"
        "from kiosk.adapters.resources import migration_files, resource\n"
        "print(json.dumps({'kiosk': kiosk.__file__, 'version': kiosk.__version__,\n"
        "    'font': str(resource('fonts', 'DejaVuSans.ttf')),\n"
        "    'migrations': [str(p) for p in migration_files()]}))\n"
    )
    done = run([str(installed.python), "-c", script], tmp_path, installed.env)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["version"] == __version__
    for path in [found["kiosk"], found["font"], *found["migrations"]]:
        assert Path(path).is_relative_to(installed.site_packages), path
        assert Path(path).is_file(), path
    assert found["migrations"], "no migrations found"


def test_installed_kiosk_runs_the_demo_desk_outside_the_checkout(
    installed: Installed, tmp_path: Path
) -> None:
    check_demo_desk([str(installed.kiosk)], tmp_path, installed.env)


def test_installed_kiosk_says_when_its_migrations_are_missing(
    installed: Installed, tmp_path: Path
) -> None:
    migrations = installed.site_packages / "kiosk" / "db" / "migrations"
    away = migrations.with_name("migrations-away")
    migrations.rename(away)
    try:
        db = tmp_path / "new.sqlite3"
        done = run([str(installed.kiosk), "--db", str(db), "demo"], tmp_path, installed.env)
    finally:
        away.rename(migrations)
    assert done.returncode == 1
    assert "migrations are missing" in done.stderr, done.stderr
    assert "installation is incomplete" in done.stderr
