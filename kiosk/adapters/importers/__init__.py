"""Importers of registration exports: pretix, Eventbrite, Indico, b2match and any CSV or Excel."""

from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.registry import FORMAT_NAMES, RegistrationImporters

__all__ = ["FORMAT_NAMES", "ImportFileError", "RegistrationImporters"]
