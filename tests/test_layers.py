"""Layer rules import-linter cannot express: no widget toolkit below the UI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kiosk"


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("layer", ["core", "adapters"])
def test_no_widgets_below_the_ui(layer: str) -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(path) if "QtWidgets" in m
        )
        for path in (PACKAGE / layer).rglob("*.py")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_check_sees_imports() -> None:
    assert "PySide6.QtWidgets" in imported_modules(PACKAGE / "ui" / "desk.py")
