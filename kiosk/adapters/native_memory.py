"""How a process that runs all day uses native memory: glibc's malloc arenas capped."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

logger = logging.getLogger(__name__)

# glibc gives each thread that finds the arenas busy an arena of its own, up to eight per core.
# A screen's threads (the GUI, the task runner's workers, SQLite's checkpointer, printing)
# each kept their own arena's freed blocks, scattered between live ones: a day's soak grew
# RSS by 10-11 % with them, 7 % with two arenas, no slower (bench/soak.py). As
# MALLOC_ARENA_MAX=2 would, but set by the process itself, before its threads start.
ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h


def cap_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Let glibc's malloc use at most `arenas` arenas in this process (call it before
    threads start); True when it took effect. Elsewhere (macOS, Windows, musl) it does
    nothing and says so with False.
    """
    if not sys.platform.startswith("linux"):
        return False
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
