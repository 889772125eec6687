"""The one family of errors a kiosk user can be shown: the message is what they read."""

from __future__ import annotations


class KioskError(Exception):
    """Something the user can act on went wrong; `str(error)` is the sentence they read.

    Every layer raises a subclass of this for a failure it expects (bad input, a missing file,
    a database in the wrong state), so the CLI and the screens catch this family alone: any
    other exception is a bug, and is logged with its traceback.
    """


class InvalidInputError(KioskError, ValueError):
    """What the user typed or passed cannot be used; the message names the field."""


class EventSetupError(InvalidInputError):
    """What the organiser typed cannot make an event; the message says which part."""


class NoEventError(KioskError, LookupError):
    """The database has no event yet: run `kiosk init` or `kiosk demo`."""


class EventExistsError(KioskError):
    """The database already holds an event; a kiosk database serves exactly one."""


class CannotIssueCodesError(KioskError):
    """The kiosk holds only the event's public key, so it cannot sign new codes."""


class FileFormatError(KioskError, ValueError):
    """A file cannot be read as what it should be; the message names the file, row and field."""


class StorageError(KioskError):
    """The database could not be read or written (locked, full, read-only, broken, missing)."""


class SettingError(InvalidInputError):
    """An unknown setting, or a value the setting does not accept; the message names both."""


class JournalConflictError(KioskError):
    """A journal entry from elsewhere clashes with one stored here under the same identity."""


class DiskFullError(StorageError):
    """The disk holding the database or a kiosk folder is full: free space, then try again."""


class ReadOnlyError(StorageError):
    """The database or a kiosk folder cannot be written: a read-only disk, file or mount."""


class DatabaseBusyError(StorageError):
    """Another program held the database's write lock for longer than kiosk waits."""
