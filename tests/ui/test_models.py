"""The results table model, checked with pytest-qt's model tester and read without a view."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt

from kiosk.core.model import Attendee, AttendeeStatus
from kiosk.ui.models import (
    ATTENDEE_ROLE,
    COL_CATEGORY,
    COL_NAME,
    COL_ORGANISATION,
    COL_TODAY,
    COLUMN_COUNT,
    AttendeeTableModel,
)

PETR = Attendee(
    id="P1",
    first_name="Petr",
    last_name="Přikryl",
    code="232703522524",
    organisation="Česká klastrová platforma, z. s.",
    category="Organiser",
)
EVA = Attendee(id="E1", first_name="Eva", last_name="Žižková", code="E", category="Kamarád")
GONE = replace(EVA, id="G1", first_name="Hana", status=AttendeeStatus.CANCELLED)
AT_0914 = datetime(2023, 10, 23, 9, 14, tzinfo=ZoneInfo("Europe/Prague"))


def cell(model: AttendeeTableModel, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def test_the_model_keeps_qts_contract(qtmodeltester):
    model = AttendeeTableModel()
    qtmodeltester.check(model)
    model.set_attendees([PETR, EVA, GONE], {PETR.id: AT_0914})
    qtmodeltester.check(model)
    model.set_attendees([])
    qtmodeltester.check(model)


def test_rows_show_the_attendee_and_hand_back_the_record():
    model = AttendeeTableModel()
    model.set_attendees([PETR, EVA], {PETR.id: AT_0914})
    assert (model.rowCount(), model.columnCount()) == (2, COLUMN_COUNT)
    assert cell(model, 0, COL_NAME) == "Přikryl, Petr"
    assert cell(model, 0, COL_ORGANISATION) == "Česká klastrová platforma, z. s."
    assert cell(model, 0, COL_CATEGORY) == "Organiser"
    assert cell(model, 0, COL_TODAY) == "✓ 09:14"
    assert cell(model, 1, COL_TODAY) == ""
    assert cell(model, 1, COL_NAME, ATTENDEE_ROLE) is EVA
    assert model.attendee(1) is EVA


def test_a_category_nobody_translated_is_shown_as_given():
    model = AttendeeTableModel()
    model.set_attendees([EVA])
    assert cell(model, 0, COL_CATEGORY) == "Kamarád"


def test_a_cancelled_registration_says_so_in_the_today_column():
    model = AttendeeTableModel()
    model.set_attendees([GONE], {GONE.id: AT_0914})
    assert cell(model, 0, COL_TODAY) == "Cancelled"


def test_long_cells_read_in_full_as_tooltips():
    model = AttendeeTableModel()
    model.set_attendees([PETR])
    assert cell(model, 0, COL_ORGANISATION, Qt.ItemDataRole.ToolTipRole) == PETR.organisation


def test_headers_and_flags():
    model = AttendeeTableModel()
    model.set_attendees([PETR])
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(COLUMN_COUNT)]
    assert titles == ["Name", "Organisation", "Category", "Today"]
    flags = model.flags(model.index(0, COL_NAME))
    assert flags & Qt.ItemFlag.ItemIsSelectable
    assert not flags & Qt.ItemFlag.ItemIsEditable
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def test_replacing_the_rows_resets_the_model(qtbot):
    model = AttendeeTableModel()
    with qtbot.waitSignal(model.modelReset, timeout=100):
        model.set_attendees([PETR])
    assert model.rowCount() == 1
