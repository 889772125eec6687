"""A screen's process caps glibc's malloc arenas (its threads share two instead of one each)
and hands the GIL over every millisecond.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="malloc arenas are glibc's",
)

# Six threads, alive together, each allocating once (a new thread's first malloc takes an
# arena of its own while there are fewer than the limit), then glibc's own account of its
# heaps (malloc_info's XML: one <heap> per arena).
COUNT_ARENAS = textwrap.dedent(
    """
    import ctypes, json, re, sys, tempfile, threading
    from pathlib import Path
    capped = None
    if sys.argv[1] == "cap":
        from kiosk.adapters.screen_process import cap_malloc_arenas
        capped = cap_malloc_arenas()
    elif sys.argv[1] == "screen":  # a desk's database, opened as the desk opens it
        from kiosk.app import open_kiosk
        kiosk = open_kiosk(Path(sys.argv[2]), demo_if_empty=True, screen=True)
    together = threading.Barrier(7)
    kept = []
    def allocate():
        kept.append(bytearray(100_000))  # below the mmap threshold: from an arena
        together.wait()
        together.wait()
    threads = [threading.Thread(target=allocate) for _ in range(6)]
    for thread in threads:
        thread.start()
    together.wait()
    libc = ctypes.CDLL("libc.so.6")
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
    libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.fclose.argtypes = (ctypes.c_void_p,)
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder, "malloc.xml")
        stream = libc.fopen(str(report).encode(), b"w")
        libc.malloc_info(0, stream)
        libc.fclose(stream)
        heaps = len(re.findall("<heap nr=", report.read_text()))
    together.wait()
    for thread in threads:
        thread.join()
    print(json.dumps({"capped": capped, "heaps": heaps, "switch": sys.getswitchinterval()}))
    """
)


def arenas(*mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", COUNT_ARENAS, *mode],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_capped_the_threads_share_two_arenas() -> None:
    # The main one and one per thread.
    assert arenas("plain") == {"capped": None, "heaps": 7, "switch": 0.005}
    assert arenas("cap") == {"capped": True, "heaps": 2, "switch": 0.005}


def test_a_screen_tunes_its_process_as_it_opens_its_database(tmp_path: Path) -> None:
    screen = arenas("screen", str(tmp_path / "desk.sqlite3"))
    assert screen == {"capped": None, "heaps": 2, "switch": 0.001}
