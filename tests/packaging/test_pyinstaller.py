"""kiosk.spec builds a one-folder app that runs the demo desk headless, outside the checkout.

Slow (the build takes about half a minute on two cores), and CI runs it too.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import __version__
from tests.packaging.support import CHECKOUT, check_demo_desk, environment, run

pytestmark = pytest.mark.slow

# Qt modules and packages kiosk.spec keeps out: none of their libraries may reach the bundle.
# Qt6Quick and Qt6Qml are not among them: QtMultimedia's ffmpeg backend, which runs the camera
# (kiosk/ui/camera.py), links them, so the bundle needs their libraries (not their Python
# modules, which kiosk.spec still leaves out).
UNWANTED_QT = ("Qt6WebEngine", "Qt63D", "Qt6Charts", "Qt6DataVisualization")
UNWANTED = (*UNWANTED_QT, "numpy", "tkinter", "libtk", "libtcl")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/kiosk, built from the checkout's kiosk.spec into a temporary folder."""
    build = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(build / "dist"), "--workpath", str(build / "work")]
    done = subprocess.run(
        [*command, str(CHECKOUT / "kiosk.spec")],
        cwd=build,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-5000:]
    folder = build / "dist" / "kiosk"
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    size = sum(path.stat().st_size for path in files)
    print(f"kiosk.spec: built in {time.monotonic() - started:.0f} s, {size / 2**20:.0f} MiB")
    return folder


def test_the_app_bundles_kiosks_files_where_importlib_resources_looks(app: Path) -> None:
    package = app / "_internal" / "kiosk"
    for folder, files in (
        ("resources", CHECKOUT.joinpath("resources").rglob("*")),
        ("db", CHECKOUT.joinpath("db", "migrations").glob("*.sql")),
    ):
        for path in files:
            if path.is_file() and path.suffix not in {".py", ".pyc"}:
                relative = path.relative_to(CHECKOUT / folder)
                assert (package / folder / relative).is_file(), f"{folder}/{relative} missing"


def test_the_app_leaves_out_what_kiosk_does_not_use(app: Path) -> None:
    unwanted = [
        path.relative_to(app).as_posix()
        for path in app.rglob("*")
        if any(name in path.name for name in UNWANTED)
    ]
    assert unwanted == []
    platforms = {path.name for path in app.rglob("platforms/*")}
    assert any("offscreen" in name for name in platforms), platforms
    if sys.platform.startswith("linux"):
        assert any("xcb" in name for name in platforms), platforms


def test_the_app_runs_the_demo_desk_headless(app: Path, tmp_path: Path) -> None:
    env = environment(tmp_path / "home")
    program = app / ("kiosk.exe" if sys.platform == "win32" else "kiosk")
    done = run([str(program), "--version"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout
    check_demo_desk([str(program)], tmp_path, env)
