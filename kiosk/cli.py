"""The command line: every check-in job without a screen, and the desk window with no arguments."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from kiosk import __version__
from kiosk.app import (
    Kiosk,
    code_reader,
    event_files,
    import_formats,
    open_kiosk,
    resolve_db_path,
    run_desk,
    schedule_formats,
    start_logging,
)
from kiosk.core.errors import InvalidInputError, KioskError
from kiosk.core.text import json_safe, terminal_safe

# Each command imports the workflows it runs: a check-in is a new process every time, and
# every import is part of its wait (bench/checkin.py measures it).
if TYPE_CHECKING:
    from kiosk.core.checkin import CheckInResult
    from kiosk.core.model import Attendee, Event
    from kiosk.core.ports import Progress
    from kiosk.core.schedule_changes import ScheduleImportReport
    from kiosk.workflows.printing import QueueStatus
    from kiosk.workflows.setup import SetUp
    from kiosk.workflows.staff import StaffDesk, Stats, UndoResult

Handler = Callable[[argparse.Namespace], Any]


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, sized to the terminal without `shutil`: argparse makes a
    formatter for every argument it is given and imports shutil to size it, a cost every
    command paid at start; the size is read only when help is shown.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)


def _terminal_columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` finds it: $COLUMNS, else the
    terminal of stdout, else 80.
    """
    with contextlib.suppress(ValueError):
        if int(os.environ.get("COLUMNS", "0")) > 0:
            return int(os.environ["COLUMNS"])
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class KioskArgumentParser(argparse.ArgumentParser):
    """argparse, with bad arguments reported in one line as the command-line contract asks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Print a one-line reason and exit with status 2."""
        self.exit(2, terminal_safe(f"{self.prog}: {message} (see '{self.prog} --help')") + "\n")


class CommandError(InvalidInputError):
    """A command could not do its job; the message is the one line shown on stderr."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    start_logging()
    parser = build_parser(only=_command_named(arguments))
    args = _decoded(parser.parse_args(arguments))
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            return run_desk(_db_path(args), _station(args), _lang(args))
        result = handler(args)
    except KioskError as error:
        print(f"kiosk: {terminal_safe(_one_line(str(error)))}", file=sys.stderr)
        return 1
    except Exception as error:
        # Not a failure kiosk expects: a bug. The traceback goes to the log, one line here.
        where = _log_bug()
        print(
            terminal_safe(
                f"kiosk: unexpected error ({type(error).__name__}: {_one_line(str(error))}); "
                f"this is a bug, details in {where}"
            ),
            file=sys.stderr,
        )
        return 1
    if result.streamed:
        return 0
    status = 0
    try:
        if getattr(args, "json", False):
            # Readable UTF-8, with what a terminal or an encoder cannot take escaped.
            sys.stdout.write(json_safe(json.dumps(result.json, ensure_ascii=False, indent=2)))
            sys.stdout.write("\n")
        elif result.text or not result.failures:
            print(terminal_safe(result.text))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (head, a closed pipe) went away: the job is done, there is no one to tell.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    for failure in result.failures:
        print(f"kiosk: {_one_line(failure)}", file=sys.stderr)
        status = 1
    return status


def _one_line(text: str) -> str:
    return " ".join(text.split())


# Text arguments that name files: undecodable bytes in them are part of the file's real name.
_FILE_ARGUMENTS = frozenset({"db"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def _decoded(args: argparse.Namespace) -> argparse.Namespace:
    """`args` with the undecodable bytes of every text argument but a file name (Python hands
    them over as lone surrogates, which can be neither stored nor printed) as U+FFFD, the
    replacement character: a code holding one answers `invalid`, a search finds nobody.
    """
    for name, value in vars(args).items():
        if name in _FILE_ARGUMENTS or (name == "args" and getattr(args, "action", "") == "import"):
            continue  # `schedule import FILE`
        if isinstance(value, str):
            setattr(args, name, _SURROGATE.sub("\ufffd", value))
        elif isinstance(value, list):
            setattr(
                args,
                name,
                [_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in value],
            )
    return args


def _log_bug() -> str:
    """Write the exception being handled, with its traceback, to kiosk's log file."""
    import logging  # noqa: PLC0415 (only on the way out of a bug)

    from kiosk.app import open_log  # noqa: PLC0415

    logger = logging.getLogger("kiosk")
    where = open_log()
    if where is None:  # no log file can be written: the traceback goes to stderr instead
        handler = logging.StreamHandler(sys.stderr)
        logger.addHandler(handler)
        logger.exception("unexpected error")
        logger.removeHandler(handler)
        return "the traceback above"
    logger.exception("unexpected error")
    return str(where)


class Output:
    """What a command prints: `json` with --json, else `text` for people; nothing more when
    the command has `streamed` its answers as it went. `failures` are parts of the job that
    could not be done (a file of several that cannot be read): one line each on stderr after
    the answer, and a non-zero exit.
    """

    def __init__(
        self,
        json_value: Any,
        text: str,
        *,
        streamed: bool = False,
        failures: Sequence[str] = (),
    ) -> None:
        self.json = json_value
        self.text = text
        self.streamed = streamed
        self.failures = failures


# Options of every command that take a value, so the command's name can be found without
# building every command's parser.
_VALUED_OPTIONS = frozenset({"--db", "--station", "--lang"})


def _command_named(arguments: Sequence[str]) -> str | None:
    """The command the arguments name, when they name one (else None: build them all)."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in _VALUED_OPTIONS:
            skip = True
        elif argument in ("-h", "--help", "--version"):
            return None
        elif not argument.startswith("-"):
            return argument
    return None


class _Unbuilt:
    """Stands in for the parser of a command that was not asked for: building every command's
    arguments costs a command-line check-in a fifth of its time (argparse looks up a
    translation for each help text).
    """

    def add_argument(self, *args: object, **kwargs: object) -> None:
        """Nothing: this command is not the one being run."""


def _built_only(
    sub: argparse.ArgumentParser, choices: Callable[[], tuple[str, ...]]
) -> tuple[str, ...] | None:
    """`choices()` for a command being built; nothing for one that is not, so a check-in does
    not import the importers and schedule readers to list their formats.
    """
    return None if isinstance(sub, _Unbuilt) else choices()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every command, or with `only` given, of that command alone."""
    common = KioskArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="database file (default: $KIOSK_DB, else the per-user data folder)",
    )
    common.add_argument(
        "--station",
        default=argparse.SUPPRESS,
        help="act as this station (default: the database's own; for init: 'Desk')",
    )
    common.add_argument(
        "--lang",
        choices=["cs", "en"],
        default=argparse.SUPPRESS,
        help="language of the window (default: the event's)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print one JSON document on stdout",
    )
    parser = KioskArgumentParser(
        prog="kiosk",
        parents=[common],
        description="Conference check-in desk. With no command, opens the staff desk window.",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return cast(argparse.ArgumentParser, _Unbuilt())
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    _setup_commands(command)
    _desk_commands(command)
    _screen_commands(command)
    _badge_commands(command)
    _schedule_commands(command)
    if only is None or only == "desk":
        # No handler: like plain `kiosk`, it opens the window and prints nothing.
        desk = commands.add_parser("desk", parents=[common], help="open the staff desk window")
        desk.set_defaults(handler=None)
    return parser


Command = Callable[[str, Handler, str], argparse.ArgumentParser]


def _setup_commands(command: Command) -> None:
    sub = command("init", _init, "set up a new event in an empty database")
    sub.add_argument("--event-name", help="required unless --from-event")
    sub.add_argument("--timezone", help="IANA time zone, e.g. Europe/Prague")
    sub.add_argument("--days", help="event days, e.g. 2023-10-23,2023-10-24")
    sub.add_argument("--venue", default="")
    sub.add_argument(
        "--locale",
        default=None,
        help="language of the event, e.g. cs or en (default: the time zone's; Prague: cs)",
    )
    sub.add_argument(
        "--from-event",
        type=Path,
        help="join an event another kiosk set up, from its 'kiosk export-event' file; a "
        "private key in it is opened with its passphrase",
    )
    _passphrase_option(sub)

    sub = command(
        "export-event", _export_event, "write this event's definition for another kiosk to join"
    )
    sub.add_argument("file", type=Path)
    sub.add_argument(
        "--with-private-key",
        action="store_true",
        help="let the other kiosk issue codes too: the key is encrypted with a passphrase "
        "(10 characters or more) that joining asks for",
    )
    _passphrase_option(sub)

    sub = command(
        "rotate-key",
        _rotate_key,
        "give the event a new signing key (a kiosk with the key was lost), or take the new "
        "key from the kiosk that made it",
    )
    sub.add_argument(
        "--refuse-old",
        action="store_true",
        help="codes signed with the old keys are admitted only where the code is already held "
        "(walk-ins registered or synced before); default: they stay valid",
    )
    sub.add_argument(
        "--from-event",
        type=Path,
        help="take the keys from an event file exported after 'kiosk rotate-key' elsewhere",
    )
    _passphrase_option(sub)

    command("demo", _demo, 'set up the built-in demo event, "Clusters meet Regions"')

    sub = command(
        "purge", _purge, "after the event: remove all personal data, keep anonymous counts"
    )
    sub.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")

    command("backup", _backup, "back the database up beside it (a rotating set of copies)")
    sub = command("restore", _restore, "put a backup in place of the database's content")
    sub.add_argument("file", nargs="?", type=Path, help="the backup (default: the newest good)")

    sub = command("export", _export, "export attendees and check-ins for the registration system")
    sub.add_argument("what", choices=["checkins"], help="checkins: one row per attendee")
    sub.add_argument("--format", choices=["csv", "json", "xlsx"], required=True)
    sub.add_argument(
        "--out", type=Path, required=True, help="the file to write (owner-only; never kiosk's own)"
    )
    sub.add_argument(
        "--since",
        default=None,
        help="only attendees with a check-in, undo or print at or after this ISO 8601 time "
        "(no offset = event time)",
    )

    sub = command(
        "import", _import, "import a registration export (CSV, XLSX or JSON of many systems)"
    )
    sub.add_argument("file", type=Path)
    sub.add_argument(
        "--format",
        choices=_built_only(sub, import_formats),
        help="the export's format, when it is not recognised from its content",
    )
    sub.add_argument(
        "--cancel-missing",
        action="store_true",
        help="the file is the full list: cancel attendees it no longer names",
    )
    sub.add_argument(
        "--yes",
        action="store_true",
        help="confirm: --cancel-missing may cancel more than a fifth of the attendees",
    )
    sub.add_argument("--dry-run", action="store_true", help="list what would change; write nothing")


def _passphrase_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--passphrase-file",
        type=Path,
        help="the event file's passphrase is this file's first line (for scripts); default: "
        "asked without echo at a terminal, else the first line of stdin",
    )


def _desk_commands(command: Command) -> None:
    sub = command("checkin", _checkin, "check in the attendee a scanned code names")
    sub.add_argument("code", nargs="?", help="the scanned text (or --stdin)")
    sub.add_argument(
        "--stdin",
        action="store_true",
        help="read one code per line; each answer is printed once its check-in is on disk",
    )
    _station_and_time(sub)

    sub = command(
        "decode",
        _decode,
        "show the QR codes in image files (a photo of a ticket that will not scan)",
    )
    sub.add_argument("images", nargs="+", metavar="IMAGE", help="PNG, JPEG, WebP, TIFF, ...")

    sub = command("undo", _undo, "undo today's check-in of the attendee a code names")
    sub.add_argument("code")
    _station_and_time(sub)

    sub = command("search", _search, "find attendees by name, organisation, e-mail or code")
    sub.add_argument("text")
    sub.add_argument("--limit", type=int, default=50, help="at most this many (1 to 10000)")

    command("list", _list, "every attendee, sorted by surname")
    command("stats", _stats, "registered and checked-in counts per day and category")

    sub = command("print", _print, "print a badge, or show and retry the print queue")
    sub.add_argument("code", nargs="?", help="the code of the attendee whose badge to print")
    sub.add_argument("--layout", default=None, help="a badge layout (default: print.layout)")
    sub.add_argument("--copies", type=int, default=1, help="copies of the badge (1 to 10)")
    sub.add_argument(
        "--queue", action="store_true", help="show the printer's state and the newest jobs"
    )
    sub.add_argument(
        "--retry", metavar="JOB", help="send a failed job again: its number, or 'failed' for all"
    )
    sub.add_argument("--printers", action="store_true", help="list the CUPS printer queues")
    sub.add_argument(
        "--wait",
        type=float,
        default=30.0,
        help="seconds to wait for the badge to come out (0: only queue it)",
    )

    sub = command("walkin", _walkin, "register a walk-in and issue them a signed code")
    sub.add_argument("--first-name", required=True)
    sub.add_argument("--last-name", required=True)
    sub.add_argument("--organisation", default="")
    sub.add_argument("--category", default="Participant")
    sub.add_argument("--country", default="")
    sub.add_argument("--email", default="")

    sub = command("edit", _edit, "correct the name or organisation of the attendee a code names")
    sub.add_argument("code")
    sub.add_argument("--first-name", default=None)
    sub.add_argument("--last-name", default=None)
    sub.add_argument("--organisation", default=None)


def _screen_commands(command: Command) -> None:
    sub = command(
        "rehearsal", _rehearsal, "run the desk's clock on an event day for a rehearsal, or stop"
    )
    sub.add_argument(
        "day", nargs="?", help="an event day such as 2023-10-23, or 'off'; none: show the setting"
    )

    sub = command(
        "config", _config, "list the settings, show one, or set one (checked against its rules)"
    )
    sub.add_argument("name", nargs="?", help="a setting's name; none: list them all")
    sub.add_argument("value", nargs="?", help="the new value; none: show the setting")
    sub.add_argument("--reset", action="store_true", help="set the setting back to its default")

    sub = command(
        "sync", _sync, "exchange journals with the event's other kiosks through a shared folder"
    )
    sub.add_argument(
        "--dir",
        type=Path,
        dest="folder",
        help="the folder every kiosk of the event reaches (Syncthing, a share, a USB stick)",
    )
    sub.add_argument(
        "--inbox",
        type=Path,
        help="import the exports that have arrived in this folder (then done/ or failed/)",
    )

    sub = command("lobby", _lobby, "show the lobby board full screen: now and next in every room")
    sub.add_argument(
        "--screen", type=int, default=None, help="the monitor: 0, 1, ... (default: the primary)"
    )
    sub.add_argument(
        "--at",
        default=None,
        help="ISO 8601 time the board's clock starts at (rehearsals); no offset = event time",
    )
    sub.add_argument(
        "--speed", type=float, default=1.0, help="run the board's clock this many times as fast"
    )

    sub = command(
        "self",
        _self,
        "show the self-service screen full screen (attendees scan their own code), or set its "
        "staff PIN or staff code",
    )
    sub.add_argument(
        "--screen", type=int, default=None, help="the monitor: 0, 1, ... (default: the primary)"
    )
    sub.add_argument(
        "--set-pin",
        action="store_true",
        help="read the staff PIN (4 to 12 digits) from the terminal or stdin and store its hash",
    )
    sub.add_argument(
        "--set-staff-code",
        action="store_true",
        help="read the staff code (its scan unlocks the screen) and store its hash",
    )

    sub = command("screenshot", _screenshot, "render a screen to a PNG file")
    sub.add_argument(
        "mode",
        choices=["desk", "lobby", "self", "docs"],
        help="docs: the screenshots in docs/screenshots",
    )
    sub.add_argument(
        "--state",
        choices=["idle", "unlock"],
        default="idle",
        help="self: the attract screen or the staff PIN pad",
    )
    sub.add_argument("--out", type=Path, required=True, help="the PNG (docs: the folder)")
    sub.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT in pixels")
    sub.add_argument("--search", default="", help="text to type into the search field first")
    sub.add_argument(
        "--at", default=None, help="lobby: ISO 8601 time the board shows; no offset = event time"
    )


def _badge_commands(command: Command) -> None:
    sub = command(
        "badges", _badges, "make badges as one PDF, or check every attendee's badge text first"
    )
    sub.add_argument(
        "action",
        nargs="?",
        choices=["check"],
        help="check: list each text with a letter the font lacks, and each too long to read",
    )
    sub.add_argument(
        "--code",
        action="append",
        dest="codes",
        metavar="CODE",
        help="the attendee this code names (repeat for more; in the order given)",
    )
    sub.add_argument("--all", action="store_true", help="every active attendee, sorted by surname")
    sub.add_argument("--category", help="only attendees of this category")
    sub.add_argument("--layout", default="a6", help="a layout of resources/badges (default a6)")
    sub.add_argument(
        "--out", type=Path, help="the PDF to write (owner-only; never over kiosk's own files)"
    )


def _schedule_commands(command: Command) -> None:
    sub = command(
        "schedule",
        _schedule,
        "the lobby's schedule: import it, see what is on, change it on site",
    )
    sub.add_argument("action", choices=list(_SCHEDULE_USAGE), help="what to do")
    sub.add_argument(
        "args",
        nargs="*",
        metavar="ARG",
        help="import FILE | delay ROOM MINUTES | cancel ID | full ID | move ID ROOM | "
        "title ID TEXT "
        "(ID: the session's id or key from 'schedule now', or its exact title)",
    )
    sub.add_argument(
        "--at",
        default=None,
        help="ISO 8601 time, no offset = event time (default: now): 'now' shows that moment, "
        "'delay' moves the room's sessions starting then or later that day",
    )
    sub.add_argument(
        "--format",
        choices=_built_only(sub, schedule_formats),
        help="import: the file's format, when it is not recognised from its content",
    )
    sub.add_argument("--demo", action="store_true", help="import: the built-in demo agenda")
    sub.add_argument(
        "--replace",
        action="store_true",
        help="import: the file is the whole programme; other schedules' sessions go",
    )
    sub.add_argument(
        "--dry-run", action="store_true", help="import: list what would change; write nothing"
    )
    sub.add_argument(
        "--restore",
        action="store_true",
        help="cancel: put a cancelled session back on; full: the room has seats again",
    )


# action -> (how many ARGs, usage)
_SCHEDULE_USAGE = {
    "import": ((0, 1), "schedule import FILE | --demo"),
    "now": ((0, 0), "schedule now [--at TIME]"),
    "delay": ((2, 2), "schedule delay ROOM MINUTES [--at TIME]"),
    "cancel": ((1, 1), "schedule cancel ID [--restore]"),
    "full": ((1, 1), "schedule full ID [--restore]"),
    "move": ((2, 2), "schedule move ID ROOM"),
    "title": ((2, 2), "schedule title ID TEXT"),
}


def _schedule(args: argparse.Namespace) -> Output:
    from kiosk.workflows import schedule  # noqa: PLC0415

    (low, high), usage = _SCHEDULE_USAGE[args.action]
    if not low <= len(args.args) <= high:
        raise CommandError(f"usage: kiosk {usage}")
    with _kiosk(args) as kiosk:
        desk = kiosk.staff_desk(_station(args))
        event, store, sessions = desk.event, kiosk.store, kiosk.schedule_store
        at = _parse_at(args.at, event)
        if args.action == "import":
            if args.demo == bool(args.args):
                raise CommandError(f"usage: kiosk {usage}")
            files = kiosk.schedule_sources
            path = files.demo_file() if args.demo else Path(args.args[0])
            report = schedule.import_schedule(
                store,
                sessions,
                files,
                path,
                format_name=args.format,
                dry_run=args.dry_run,
                replace_all=args.replace,
            )
            return Output(report.to_dict(event), _schedule_import_text(report, event))
        if args.action == "now":
            board = schedule.schedule_now(store, sessions, at or desk.now())
            text = schedule.now_text(event, board)
            return Output(
                schedule.now_json(event, board), f"REHEARSAL {text}" if desk.rehearsing else text
            )
        if args.action == "delay":
            room, minutes = args.args
            try:
                shift = int(minutes)
            except ValueError:
                raise CommandError(f"MINUTES: {minutes!r} is not a whole number") from None
            result = schedule.delay_room(
                store, sessions, room, shift, since=at or desk.now(), at=desk.now(),
                station=desk.station,
            )  # fmt: skip
        elif args.action == "cancel":
            result = schedule.cancel_session(
                store, sessions, args.args[0], cancelled=not args.restore, at=desk.now(),
                station=desk.station,
            )  # fmt: skip
        elif args.action == "full":
            result = schedule.mark_full(
                store, sessions, args.args[0], full=not args.restore, at=desk.now(),
                station=desk.station,
            )  # fmt: skip
        elif args.action == "move":
            result = schedule.move_session(
                store, sessions, *args.args, at=desk.now(), station=desk.station
            )
        else:
            result = schedule.retitle_session(
                store, sessions, *args.args, at=desk.now(), station=desk.station
            )
        return Output(result.to_dict(event), result.text(event))


def _schedule_import_text(report: ScheduleImportReport, event: Event) -> str:
    data = report.to_dict(event)
    would = "would be " if report.dry_run else ""
    lines = [
        f"{data['file']}: {data['format']}, {data['title'] or data['source']!r}, "
        f"{data['events']} events in {len(data['rooms'])} rooms",
        f"{data['file']}: {data['added']} {would}added, {data['changed']} {would}changed, "
        f"{data['removed']} {would}removed, {data['unchanged']} unchanged"
        + (" (dry run: nothing written)" if report.dry_run else ""),
    ]
    shown = 40  # a first import lists every session: the JSON has them all
    for change in data["changes"][:shown]:
        fields = f" ({', '.join(change['fields'])})" if change.get("fields") else ""
        lines.append(
            f"  {change['change']}: {change['start'][:16]} {change['room']}: "
            f"{change['title']} [{change['id']}]{fields}"
        )
    if len(data["changes"]) > shown:
        lines.append(f"  ... and {len(data['changes']) - shown} more (--json lists them all)")
    lines += [f"{warning}" for warning in report.warnings]
    return "\n".join(lines)


# and under TYPE_CHECKING at the top of cli.py:
#     from kiosk.core.schedule_changes import ScheduleImportReport


def _station_and_time(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--at",
        default=None,
        help="ISO 8601 time to act at (rehearsals, tests); no offset = event time",
    )


def _db_path(args: argparse.Namespace) -> Path:
    return resolve_db_path(getattr(args, "db", None))


def _lang(args: argparse.Namespace) -> str | None:
    lang: str | None = getattr(args, "lang", None)
    return lang


def _station(args: argparse.Namespace) -> str | None:
    station: str | None = getattr(args, "station", None)
    return station


def _kiosk(args: argparse.Namespace, *, create: bool = False) -> Kiosk:
    return open_kiosk(_db_path(args), create=create)


def _parse_at(text: str | None, event: Event) -> datetime | None:
    if text is None:
        return None
    from kiosk.core.clock import LocalTimeError, moment  # noqa: PLC0415

    try:
        at = datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--at: {text!r} is not an ISO 8601 time") from error
    try:
        return moment(at, event.tz)
    except LocalTimeError as error:
        raise CommandError(f"--at: {error}") from error


def _local(event: Event, at: datetime | None) -> str | None:
    return event.local(at).isoformat() if at else None


def _person(attendee: Attendee | None) -> str:
    if attendee is None:
        return "-"
    name = attendee.full_name or f"(attendee {attendee.id}, not synced yet)"
    return f"{name}, {attendee.organisation}" if attendee.organisation else name


def _set_up_json(done: SetUp, path: Path) -> dict[str, Any]:
    return {
        "event": done.event.to_dict(),
        "station": done.station,
        "kiosk_id": done.kiosk_id,
        "db": str(path),
    }


def _passphrase(args: argparse.Namespace, *, new: bool = False) -> Callable[[Path], str]:
    """Asks for an event file's passphrase: `--passphrase-file`'s first line, else without
    echo at a terminal (twice for a `new` one), else the first line of stdin.
    """

    def ask(path: Path) -> str:
        given: Path | None = args.passphrase_file
        if given is not None:
            try:
                with given.open("rb") as file:
                    text = file.read(4096).decode("utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"--passphrase-file {given}: cannot read it: {error}") from None
            passphrase = text[0] if text else ""
        else:
            passphrase = _read_secret(
                f"Passphrase for the private key in {path}: ",
                "The passphrase again: " if new else None,
                differ="the two passphrases differ: nothing was written",
            )
        if not passphrase:
            raise CommandError(
                f"{path}: no passphrase given for the private key (type it, or give "
                "--passphrase-file FILE or one line on stdin)"
            )
        return passphrase

    return ask


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(terminal_safe(f"kiosk: warning: {_one_line(warning)}"), file=sys.stderr)


def _init(args: argparse.Namespace) -> Output:
    from kiosk.core.events import parse_days  # noqa: PLC0415
    from kiosk.workflows import setup  # noqa: PLC0415

    # Everything is checked before the database file is made.
    if args.from_event:
        planned = setup.plan_join(
            event_files(), args.from_event, station=_station(args), passphrase=_passphrase(args)
        )
        _warn(planned.warnings)
    else:
        for option in ("event_name", "timezone", "days"):
            if not getattr(args, option):
                raise CommandError(f"--{option.replace('_', '-')} is required (or --from-event)")
        planned = setup.plan_event(
            args.event_name,
            args.timezone,
            parse_days(args.days),
            venue=args.venue,
            locale=args.locale,
            station=_station(args),
        )
    with _kiosk(args, create=True) as kiosk:
        done = setup.set_up(kiosk.store, planned)
        path = kiosk.path
    data = {**_set_up_json(done, path), "warnings": list(planned.warnings)}
    return Output(data, f"Event {done.event.name!r} ({done.event.id}) set up in {path}")


def _export_event(args: argparse.Namespace) -> Output:
    from kiosk.workflows import setup  # noqa: PLC0415

    if args.passphrase_file is not None and not args.with_private_key:
        raise CommandError("--passphrase-file protects the private key: add --with-private-key")
    with _kiosk(args) as kiosk:
        passphrase = None
        if args.with_private_key:
            if kiosk.store.signing_key() is None:
                raise InvalidInputError(
                    "this kiosk has only the event's public key: it cannot share the private"
                )
            passphrase = setup.check_passphrase(_passphrase(args, new=True)(args.file))
        event, private = setup.export_event(
            kiosk.store,
            kiosk.event_files,
            args.file,
            with_private_key=args.with_private_key,
            passphrase=passphrase,
            protected=[kiosk.path],
        )
    data = {"file": str(args.file), "event": event.to_dict(), "private_key": private}
    text = f"Event {event.name!r} ({event.id}) written to {args.file}"
    if private:
        text += " with the private key, encrypted: joining asks for the passphrase"
    return Output(data, text)


def _rotate_key(args: argparse.Namespace) -> Output:
    from kiosk.workflows import setup  # noqa: PLC0415

    with _kiosk(args) as kiosk:
        if args.from_event is not None:
            if args.refuse_old:
                raise CommandError(
                    "--refuse-old is decided where the key is rotated; the file carries it"
                )
            done = setup.adopt_keys(
                kiosk.store, kiosk.event_files, args.from_event, passphrase=_passphrase(args)
            )
        else:
            if args.passphrase_file is not None:
                raise CommandError("--passphrase-file goes with --from-event")
            done = setup.rotate_key(kiosk.store, datetime.now(UTC), refuse_old=args.refuse_old)
    _warn(done.warnings)
    old = (
        "codes signed with the old keys are admitted only where they are held already"
        if done.refuse_old
        else "codes signed with the old key stay valid"
    )
    if done.adopted:
        issue = "this kiosk may issue codes" if done.can_issue else "this kiosk only checks codes"
        text = f"Took the event's new key from {args.from_event}: {issue}; {old}."
    else:
        text = (
            f"New signing key for {done.event.name!r} ({done.event.id}); {old}. On every other "
            "kiosk: 'kiosk export-event FILE [--with-private-key]' here, then 'kiosk rotate-key "
            "--from-event FILE' there."
        )
    return Output(done.to_dict(), text)


def _demo(args: argparse.Namespace) -> Output:
    with _kiosk(args, create=True) as kiosk:
        report = kiosk.load_demo()
        event = kiosk.store.event()
        path = str(kiosk.path)
    return Output(
        {"event": event.to_dict(), "import": report.to_dict(), "db": path},
        f"Demo event {event.name!r} with {report.added} attendees in {path}",
    )


def _badges(args: argparse.Namespace) -> Output:
    from kiosk.workflows import badges  # noqa: PLC0415

    if args.action == "check":
        if args.codes or args.out:
            raise CommandError("badges check checks every attendee: leave out --code and --out")
    elif bool(args.codes) == args.all:
        raise CommandError("give --code CODE (repeatable) or --all")
    elif args.out is None:
        raise CommandError("--out FILE.pdf is required")
    with _kiosk(args) as kiosk:
        if args.action == "check":
            check = badges.check_badges(
                kiosk.store,
                kiosk.badge_renderer,
                args.layout,
                category=args.category,
                progress=_progress_on_stderr(),
            )
            lines = [issue.describe() for issue in check.issues]
            lines.append(
                f"{check.checked} badge(s) checked in layout {check.layout}: "
                + (
                    "every letter prints at a readable size"
                    if check.ok
                    else f"{len(check.issues)} text(s) to fix"
                )
            )
            return Output(check.to_dict(), "\n".join(lines))
        report = badges.write_badges(
            kiosk.store,
            kiosk.badge_renderer,
            args.out,
            args.layout,
            codes=args.codes,
            category=args.category,
            progress=_progress_on_stderr(),
            protected_paths=[kiosk.path],
            record=kiosk.store,
        )
    return Output(
        report.to_dict(),
        f"{len(report.attendees)} badge(s) on {report.pages} page(s), layout {report.layout}, "
        f"written to {report.path}",
    )


def _progress_on_stderr() -> Progress:
    """Progress of a long job on stderr, at most every tenth of the way (never on stdout)."""
    shown = -1

    def progress(done: int, total: int, what: str) -> None:
        nonlocal shown
        tenth = done * 10 // max(total, 1)
        if total > 1 and tenth and tenth != shown:
            shown = tenth
            print(f"kiosk: {done}/{total} {what}", file=sys.stderr, flush=True)

    return progress


def _backup(args: argparse.Namespace) -> Output:
    from kiosk.app import backup_database  # noqa: PLC0415

    path = backup_database(_db_path(args))
    return Output({"file": str(path)}, str(path))


def _purge(args: argparse.Namespace) -> Output:
    with _kiosk(args) as kiosk:
        report = kiosk.purge_personal_data(confirmed=args.yes)
    lines = [f"Removed {report.describe()}."]
    lines += [f"  {file.kind}: {file.path}" for file in report.files]
    if not report.wal_emptied:
        lines.append("Another program has the database open: close it and purge again.")
    lines += [f"Left: {sentence}" for sentence in report.left]
    lines.append(
        "Not kiosk's to delete: other kiosks' databases and copies, exports and badge PDFs "
        "moved or written elsewhere, CUPS's own copies (the cups-pdf output folder), USB "
        "sticks (docs/PRIVACY.md)."
    )
    failures = [f"could not delete {failure}" for failure in report.failures]
    return Output(report.to_dict(), "\n".join(lines), failures=failures)


def _restore(args: argparse.Namespace) -> Output:
    from kiosk.app import restore_database  # noqa: PLC0415

    used, safety = restore_database(_db_path(args), args.file)
    text = f"{_db_path(args)} restored from {used}"
    if safety is not None:
        text += f"; what was there is kept in {safety}"
    data = {"restored_from": str(used), "previous": str(safety) if safety else None}
    return Output(data, text)


def _export(args: argparse.Namespace) -> Output:
    from kiosk.core.export import parse_since  # noqa: PLC0415
    from kiosk.workflows.export import export_checkins  # noqa: PLC0415

    since = parse_since(args.since) if args.since else None
    with _kiosk(args) as kiosk:
        report = export_checkins(
            kiosk.store,
            kiosk.checkin_files,
            args.out,
            args.format,
            since=since,
            protected_paths=[kiosk.path],
            record=kiosk.store,
        )
    return Output(
        report.to_dict(),
        f"{report.rows} attendee row(s) written to {report.path} ({report.format})",
    )


def _import(args: argparse.Namespace) -> Output:
    from kiosk.workflows.registration import import_registrations  # noqa: PLC0415

    with _kiosk(args) as kiosk:
        report = import_registrations(
            kiosk.store,
            kiosk.registrations,
            args.file,
            cancel_missing=args.cancel_missing,
            format_name=args.format,
            dry_run=args.dry_run,
            confirmed=args.yes,
            station=kiosk.staff_desk(_station(args)).station,
        )
    would = "would be " if report.dry_run else ""
    lines = [f"{args.file}: {report.format}"]
    lines += [f"  {ours} <- {theirs!r}" for ours, theirs in report.mapping.items()]
    lines.append(
        f"{args.file}: {report.added} {would}added, {report.updated} {would}updated, "
        f"{report.unchanged} unchanged, {report.cancelled} {would}cancelled"
        + (" (dry run: nothing written)" if report.dry_run else "")
    )
    lines += [f"  {c.change}: {c.attendee.full_name} ({c.attendee.code})" for c in report.changes]
    lines += [f"{args.file}: row {e.row}, field {e.field}: {e.message}" for e in report.errors]
    return Output(report.to_dict(), "\n".join(lines))


def checkin_json(event: Event, result: CheckInResult, *, rehearsal: bool = False) -> dict[str, Any]:
    """A check-in result as the JSON object of the command-line contract."""
    return {
        "status": str(result.status),
        "attendee": result.attendee.to_dict() if result.attendee else None,
        "first_at": _local(event, result.first_at),
        "station": result.station,
        "at": _local(event, result.at),
        "day": result.day.isoformat() if result.day else None,
        "code": result.code,
        "repeat": result.repeat,
        "reason": result.reason,
        "rehearsal": rehearsal,
        "also": [{"at": _local(event, e.at), "station": e.station} for e in result.also],
    }


def _desk_command(args: argparse.Namespace, act: Callable[[StaffDesk], Output]) -> Output:
    with _kiosk(args) as kiosk:
        return act(kiosk.staff_desk(_station(args)))


def _checkin(args: argparse.Namespace) -> Output:
    if (args.code is None) == (not args.stdin):
        raise CommandError("give a code, or --stdin to read one per line")
    if args.stdin:
        return _desk_command(args, lambda desk: _checkin_stream(args, desk))

    def act(desk: StaffDesk) -> Output:
        event = desk.event
        result = desk.check_in(args.code, _parse_at(args.at, event))
        return Output(
            checkin_json(event, result, rehearsal=desk.rehearsing), _checkin_text(desk, result)
        )

    return _desk_command(args, act)


def _checkin_stream(args: argparse.Namespace, desk: StaffDesk) -> Output:
    """One answer per input line, each written and flushed only after its check-in is
    durable (the store has committed it with synchronous=FULL), so a crash after an answer
    never loses that check-in.
    """
    event = desk.event
    at = _parse_at(args.at, event)
    as_json = getattr(args, "json", False)
    stdin = sys.stdin.buffer
    count = 0
    for raw in stdin:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line.strip():
            continue
        result = desk.check_in(line, at)
        if as_json:
            text = json_safe(json.dumps(checkin_json(event, result, rehearsal=desk.rehearsing),
                                        ensure_ascii=False))  # fmt: skip
        else:
            text = terminal_safe(_checkin_text(desk, result))
        try:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            break
        count += 1
    return Output({"answered": count}, "", streamed=True)


def _checkin_text(desk: StaffDesk, result: CheckInResult) -> str:
    event = desk.event
    text = f"{result.status.upper()}: {_person(result.attendee)}"
    if result.first_at and not result.admitted:
        text += f" (first at {event.local(result.first_at):%H:%M}, {result.station}"
        text += "".join(f"; also {event.local(e.at):%H:%M}, {e.station}" for e in result.also)
        text += ")"
    elif result.reason:
        text += f" ({result.reason})"
    if desk.rehearsing:
        text = "REHEARSAL " + text
    return text


def _decode(args: argparse.Namespace) -> Output:
    """The codes in each image, as found: no database, no check-in (that is `checkin`'s job)."""
    from kiosk.workflows.decoding import decode_images  # noqa: PLC0415

    decoded = decode_images(code_reader(), args.images)
    lines = [
        f"{image.file}: "
        # Quoted as JSON strings: a code's spaces, commas and line breaks stay visible.
        + (", ".join(json.dumps(code, ensure_ascii=False) for code in image.codes) or "no QR code")
        for image in decoded
        if not image.error
    ]
    return Output(
        [image.to_dict() for image in decoded],
        "\n".join(lines),
        failures=[image.error for image in decoded if image.error],
    )


def _undo(args: argparse.Namespace) -> Output:
    def act(desk: StaffDesk) -> Output:
        result: UndoResult = desk.undo(args.code, _parse_at(args.at, desk.event))
        data = {
            "status": str(result.status),
            "attendee": result.attendee.to_dict() if result.attendee else None,
            "undone": [entry.ref for entry in result.entries],
            "reason": result.reason,
        }
        return Output(data, f"{result.status.upper()}: {_person(result.attendee)}")

    return _desk_command(args, act)


def _attendee_lines(attendees: list[Attendee]) -> str:
    rows = [
        f"{a.last_name}, {a.first_name}\t{a.organisation}\t{a.category}\t{a.code}"
        + ("\tCANCELLED" if a.status == "cancelled" else "")
        for a in attendees
    ]
    return "\n".join(rows) if rows else "(nobody)"


def _search(args: argparse.Namespace) -> Output:
    def act(desk: StaffDesk) -> Output:
        found = desk.search(args.text, args.limit)
        return Output([a.to_dict() for a in found], _attendee_lines(found))

    return _desk_command(args, act)


def _list(args: argparse.Namespace) -> Output:
    def act(desk: StaffDesk) -> Output:
        everyone = desk.attendees()
        return Output([a.to_dict() for a in everyone], _attendee_lines(everyone))

    return _desk_command(args, act)


def stats_json(stats: Stats) -> dict[str, Any]:
    """Counts as the JSON object of the command-line contract."""

    def days(counts: dict[date, int]) -> dict[str, int]:
        return {day.isoformat(): count for day, count in counts.items()}

    return {
        "registered": stats.registered,
        "cancelled": stats.cancelled,
        "checked_in": stats.checked_in,
        "by_day": days(stats.by_day),
        "by_category": {
            name: {"registered": c.registered, "checked_in": c.checked_in, "by_day": days(c.by_day)}
            for name, c in stats.by_category.items()
        },
    }


def _stats(args: argparse.Namespace) -> Output:
    def act(desk: StaffDesk) -> Output:
        stats = desk.stats()
        event = desk.event
        stations = desk.stations()
        lines = [
            f"{event.name}: {stats.registered} registered, {stats.checked_in} checked in, "
            f"{stats.cancelled} cancelled"
        ]
        lines += [f"  {day.isoformat()}: {count} checked in" for day, count in stats.by_day.items()]
        for name, counts in stats.by_category.items():
            lines.append(f"  {name or '(none)'}: {counts.checked_in} / {counts.registered}")
        lines.append(f"  stations: {', '.join(stations) or '(none yet)'}")
        return Output({**stats_json(stats), "stations": stations}, "\n".join(lines))

    return _desk_command(args, act)


def _rehearsal(args: argparse.Namespace) -> Output:
    from kiosk.workflows import rehearsal  # noqa: PLC0415

    with _kiosk(args) as kiosk:
        desk = kiosk.staff_desk()
        if args.day == "off":
            status = rehearsal.end_rehearsal(desk, kiosk.clock)
        elif args.day:
            status = rehearsal.start_rehearsal(desk, args.day, kiosk.clock)
        else:
            status = rehearsal.rehearsal_status(desk, kiosk.clock)
        event = desk.event
    when = f"{event.local(status.now):%Y-%m-%d %H:%M}"
    if status.day:
        text = f"Rehearsal: the desk's clock runs on {status.day} (now {when})"
    else:
        text = f"No rehearsal: the desk runs on the real clock ({when})"
        if status.undone:
            text += f"; {status.undone} rehearsal check-ins undone"
    data = {
        "rehearsal_day": status.day.isoformat() if status.day else None,
        "now": _local(event, status.now),
        "undone": status.undone,
    }
    return Output(data, text)


def _walkin(args: argparse.Namespace) -> Output:
    def act(desk: StaffDesk) -> Output:
        walk_in = desk.walk_in(
            args.first_name,
            args.last_name,
            organisation=args.organisation,
            category=args.category,
            country=args.country,
            email=args.email,
        )
        data = {**walk_in.attendee.to_dict(), "code": walk_in.code}
        return Output(data, f"{_person(walk_in.attendee)}: {walk_in.code}")

    return _desk_command(args, act)


def _edit(args: argparse.Namespace) -> Output:
    from kiosk.workflows.staff import EditStatus  # noqa: PLC0415

    fields = (args.first_name, args.last_name, args.organisation)
    if all(value is None for value in fields):
        raise CommandError("give --first-name, --last-name or --organisation")

    def act(desk: StaffDesk) -> Output:
        result = desk.edit_scanned(
            args.code,
            first_name=args.first_name,
            last_name=args.last_name,
            organisation=args.organisation,
        )
        if result.status is EditStatus.NOT_FOUND:
            raise CommandError(f"{args.code!r}: this code does not name anyone")
        data = {
            "status": str(result.status),
            "changed": list(result.changed),
            "reprint": result.reprint,
            "attendee": result.attendee.to_dict() if result.attendee else None,
        }
        text = f"{result.status.upper()}: {_person(result.attendee)}"
        if result.reprint:
            text += "\nthe printed badge shows the old name: kiosk print " + args.code
        return Output(data, text)

    return _desk_command(args, act)


def _print_queue_lines(status: QueueStatus) -> list[str]:
    printer = status.printer.describe() if status.printer else "no printer (print.queue)"
    counts = ", ".join(f"{count} {state}" for state, count in status.counts.items())
    lines = [printer, f"jobs: {counts}"]
    lines += [
        f"  {job.id}\t{job.state}\t{job.attendee_id}\t{job.layout}\t{job.cups_job or '-'}"
        + (f"\t{job.attempts} failed: {job.last_error}" if job.last_error else "")
        for job in status.jobs
    ]
    return lines


# The longest a command waits for a badge to come out: a printer slower than this is stuck.
MAX_PRINT_WAIT_S = 3600.0


def _print_arguments(args: argparse.Namespace) -> int | None:
    """Check `kiosk print`'s arguments; the job number of --retry JOB (else None)."""
    asked = [bool(args.code), args.queue, args.retry is not None, args.printers]
    if sum(asked) != 1:
        raise CommandError("give one of: CODE, --queue, --retry JOB, --printers")
    if not 0 <= args.wait <= MAX_PRINT_WAIT_S:  # also refuses nan
        raise CommandError(f"--wait: {args.wait:g} must be from 0 to {MAX_PRINT_WAIT_S:g} seconds")
    if args.retry in (None, "failed"):
        return None
    digits = args.retry.isascii() and args.retry.isdigit() and len(args.retry) < 16
    job = int(args.retry) if digits else 0  # SQLite's integers end at 19 digits
    if job < 1:
        raise CommandError(f"--retry: {args.retry!r} is not a job number")
    return job


def _print(args: argparse.Namespace) -> Output:
    from kiosk.core.printing import JobState  # noqa: PLC0415
    from kiosk.workflows.printing import StepOutcome  # noqa: PLC0415

    retry = _print_arguments(args)
    with _kiosk(args) as kiosk:
        desk = kiosk.staff_desk(_station(args))
        printing = kiosk.badge_printing(desk)
        if args.printers:
            found = printing.printers()
            text = "\n".join(p.describe() for p in found) or "(no printer queues)"
            return Output([p.to_dict() for p in found], text)
        job_id: int | None = None
        if args.code:
            asked_for = printing.reprint_scanned(args.code, layout=args.layout, copies=args.copies)
            if not asked_for.queued or asked_for.job is None:
                raise CommandError(asked_for.reason)
            job_id = asked_for.job.id
        elif args.retry == "failed":
            printing.retry_failed()
        elif retry is not None:
            job_id = printing.retry(retry).id
        steps = printing.drain(args.wait) if args.wait > 0 and not args.queue else []
        status = printing.status()
        job = printing.jobs.job(job_id) if job_id is not None else None
    data = {**status.to_dict(), "steps": [step.to_dict() for step in steps]}
    if job is None:
        return Output(data, "\n".join(_print_queue_lines(status)))
    data["job"] = job.to_dict()
    held = [s for s in steps if s.outcome in (StepOutcome.HELD, StepOutcome.NO_PRINTER)]
    failed = [s for s in steps if s.outcome is StepOutcome.FAILED and s.job and s.job.id == job.id]
    if job.state is JobState.DONE:
        text = f"PRINTED: job {job.id} on {job.printer} ({job.cups_job}, {job.layout})"
    elif failed:
        again = "failed for good" if job.state is JobState.FAILED else "retried later"
        raise CommandError(
            f"not printed: {failed[-1].error} (job {job.id}, {again}; "
            f"kiosk print --queue shows it, --retry {job.id} sends it again)"
        )
    elif held:
        text = f"QUEUED: job {job.id}; {held[-1].error}: it prints when the printer is back"
    else:
        text = f"QUEUED: job {job.id} ({job.state})"
    return Output(data, text)


def _config(args: argparse.Namespace) -> Output:
    from kiosk.workflows import config  # noqa: PLC0415

    with _kiosk(args) as kiosk:
        if args.name is None:
            shown = config.list_settings(kiosk.store)
        elif args.reset:
            shown = [config.change_setting(kiosk.store, args.name, None, clock=kiosk.clock)]
        elif args.value is not None:
            value = _setting_value(args.name, args.value)
            shown = [config.change_setting(kiosk.store, args.name, value, clock=kiosk.clock)]
        else:
            shown = [config.get_setting(kiosk.store, args.name)]
    rows = [value.to_dict() for value in shown]
    if args.name is not None and args.value is None and not args.reset:
        text = _shown_value(rows[0])
    else:
        text = "\n".join(
            f"{row['name']} = {_shown_value(row)!r}  ({row['scope']}; default {row['default']!r})"
            for row in rows
        )
    return Output(rows if args.name is None else rows[0], text)


def _setting_value(name: str, text: str) -> str:
    """An image setting's value is given as a file: its bytes, checked, as a data: URI."""
    from kiosk.core.images import MAX_IMAGE_BYTES, image_uri  # noqa: PLC0415
    from kiosk.core.settings import IMAGE_TYPE, setting  # noqa: PLC0415

    if setting(name).type != IMAGE_TYPE or not text.strip() or text.startswith("data:"):
        return text
    path = Path(text)
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise CommandError(f"{path}: larger than {MAX_IMAGE_BYTES // 1024} KB")
        return image_uri(path.read_bytes(), str(path))
    except OSError as error:
        raise CommandError(f"{path}: cannot be read: {error.strerror or error}") from None
    except ValueError as error:
        raise CommandError(str(error)) from None


def _shown_value(row: dict[str, Any]) -> str:
    """A setting's value for people: an image as its kind and size, not its base64 text."""
    from kiosk.core.settings import IMAGE_TYPE  # noqa: PLC0415

    value = str(row["value"])
    if row["type"] == IMAGE_TYPE and value:
        kind = value[5 : value.find(";")] if value.startswith("data:") else "image"
        return f"({kind}, {len(value) * 3 // 4 // 1024} KB)"
    return value


# How long a one-off `kiosk sync --inbox` watches a file for growth before importing it.
INBOX_SETTLE_S = 1.0


def _sync(args: argparse.Namespace) -> Output:
    from kiosk.workflows import inbox, sync  # noqa: PLC0415

    if args.folder is None and args.inbox is None:
        raise CommandError("give --dir FOLDER (journals), --inbox FOLDER (exports), or both")
    data: dict[str, Any] = {}
    lines: list[str] = []
    with _kiosk(args) as kiosk:
        if args.inbox is not None:
            folder = kiosk.inbox(args.inbox)
            done = inbox.process_inbox(
                kiosk.store,
                kiosk.registrations,
                folder,
                folder.settle(INBOX_SETTLE_S),
                station=kiosk.staff_desk(_station(args)).station,
            )
            data["inbox"] = done.to_dict()
            lines += [
                f"{path}: {report.added} added, {report.updated} updated, "
                f"{report.cancelled} cancelled, {len(report.errors)} row errors"
                for path, report in done.imported
            ]
            lines += [f"{path}: not imported: {reason}" for path, reason in done.failed]
            if not (done.imported or done.failed):
                lines.append(f"{args.inbox}: no new export")
        if args.folder is not None:
            report = sync.sync_journal(kiosk.store, kiosk.journal_folder(args.folder))
            data.update(report.to_dict())
            text = (
                f"{args.folder}: {report.published} entries of this kiosk published, "
                f"{report.merged.added} new from other kiosks, {report.merged.known} already here"
            )
            if report.merged.conflicts:
                text += f", {len(report.merged.conflicts)} clashing (not stored)"
            lines.append(text)
    return Output(data, "\n".join(lines))


def _screenshot(args: argparse.Namespace) -> Output:
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError as error:
        raise CommandError(f"--size: {args.size!r} is not WIDTHxHEIGHT") from error
    if not (100 <= width <= 10_000 and 100 <= height <= 10_000):
        raise CommandError(f"--size: {args.size!r} must be from 100x100 to 10000x10000")
    from kiosk.app import render_screenshot  # noqa: PLC0415 (Qt only when asked)

    at = None
    if args.at is not None:  # an offset-less time is the event's: the event is needed first
        with _kiosk(args) as kiosk:
            at = _parse_at(args.at, kiosk.store.event())
    files = render_screenshot(
        args.mode,
        _db_path(args),
        args.out,
        size=(width, height),
        station=_station(args),
        search=args.search,
        lang=_lang(args),
        at=at,
        state=args.state,
    )
    return Output(
        {"files": [str(file) for file in files], "file": str(files[0]), "size": [width, height]},
        "\n".join(str(file) for file in files),
    )


def _self(args: argparse.Namespace) -> Output:
    if args.set_pin and args.set_staff_code:
        raise CommandError("give --set-pin or --set-staff-code, one at a time")
    if args.set_pin or args.set_staff_code:
        from kiosk.workflows import unlock  # noqa: PLC0415

        what, name = ("PIN", "self.pin") if args.set_pin else ("staff code", "self.staff_code")
        secret = _read_secret(
            f"New {what}: ",
            f"The {what} again: ",
            differ=f"the two {what}s differ: nothing was changed",
        )
        with _kiosk(args) as kiosk:
            if args.set_pin:
                unlock.set_pin(kiosk.store, secret)
            else:
                unlock.set_staff_code(kiosk.store, secret)
        return Output({"name": name, "value": "(set)"}, f"{name}: set (stored as a salted hash)")
    from kiosk.app import run_self  # noqa: PLC0415 (Qt only for the GUI)

    status = run_self(_db_path(args), screen=args.screen, station=_station(args), lang=_lang(args))
    return Output({"exit": status}, "", streamed=True)


def _read_secret(prompt: str, again: str | None = None, *, differ: str = "") -> str:
    """A PIN, code or passphrase: at a terminal typed without echo after `prompt` (and once
    more after `again`, when given: `differ` is the error when the two do not match); else
    stdin's first line.
    """
    if sys.stdin.isatty():
        import getpass  # noqa: PLC0415

        first = getpass.getpass(prompt)
        if again is not None and getpass.getpass(again) != first:
            raise CommandError(differ)
        return first
    return sys.stdin.readline().rstrip("\r\n")


# The fastest rehearsal worth watching: a conference day in about a minute.
MAX_LOBBY_SPEED = 1000.0


def _lobby(args: argparse.Namespace) -> Output:
    if not 0 < args.speed <= MAX_LOBBY_SPEED:
        raise CommandError(f"--speed: {args.speed:g} must be above 0 and at most 1000")
    from kiosk.app import run_lobby  # noqa: PLC0415 (Qt only for the GUI)

    at = None
    if args.at is not None:  # an offset-less time is the event's: the event is needed first
        with _kiosk(args) as kiosk:
            at = _parse_at(args.at, kiosk.store.event())
    status = run_lobby(
        _db_path(args), screen=args.screen, at=at, speed=args.speed, lang=_lang(args)
    )
    return Output({"exit": status}, "", streamed=True)


if __name__ == "__main__":
    raise SystemExit(main())
