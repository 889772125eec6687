"""Schedule files: frab XML, schedule.json (frab, pretalx, c3voc), Indico JSON, iCalendar."""

from kiosk.adapters.schedules.files import FORMAT_NAMES, ScheduleFiles

__all__ = ["FORMAT_NAMES", "ScheduleFiles"]
