"""A screen's process, tuned to run all day: malloc arenas capped, the GIL handed over sooner."""

from __future__ import annotations

import logging
import sys

logger = logging.getLogger(__name__)

# glibc gives each new thread an arena of its own, up to eight per core (then they share).
# A screen's threads (the GUI, the task runner's workers, SQLite's checkpointer, printing)
# each kept their own arena's freed blocks, scattered between live ones: a day's soak grew
# RSS by 8.6-10.8 % with them, 6.3-8.7 % with two arenas, no slower (bench/soak.py). As
# MALLOC_ARENA_MAX=2 would, but set by the process itself, before its threads start.
ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h
# A check-in on the GUI thread lets go of the GIL around each of its SQLite calls, dozens of
# them, and waits to get it back; while a worker runs Python (a badge's PDF, an import's
# preparation), Python's default interval (5 ms) made each return wait up to that long. With
# 1 ms the soak's longest check-in was 96 and 137 ms (166-268 ms with 5 ms), and the
# workers did as much (bench/soak.py).
SWITCH_INTERVAL_S = 0.001


def tune_screen_process() -> None:
    """Tune this process for a screen (desk, self-service, lobby) that runs all day: call
    it before its threads start.
    """
    cap_malloc_arenas()
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def cap_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Let glibc's malloc use at most `arenas` arenas in this process (call it before
    threads start); True when it took effect. Elsewhere (macOS, Windows, musl) it does
    nothing and says so with False.
    """
    if not sys.platform.startswith("linux"):
        return False
    # Here, not at the top: every command imports this module (through kiosk.app), and
    # ctypes.util costs a one-shot command several milliseconds.
    import ctypes  # noqa: PLC0415
    import ctypes.util  # noqa: PLC0415

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    applied = bool(mallopt(_M_ARENA_MAX, arenas))
    if not applied:
        logger.info("malloc arenas not capped: mallopt refused")
    return applied
