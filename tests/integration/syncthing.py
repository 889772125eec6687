"""Real Syncthing instances on 127.0.0.1 for tests: set up, configure, start, wait, stop.

Follows the verified recipe of the team's stack notes: each instance has its own home and
its own shared folder, listens and serves its GUI on loopback ports picked free, and has
every discovery, relay, NAT, crash-reporting, usage-reporting and upgrade feature off, so
it talks to nothing but its peer on 127.0.0.1. Start one, wait for its REST ping, then the
next (starting both at once can stall for the Hello timeout). Each runs in its own process
group: Syncthing 1.19 is a monitor process plus a child, and only a signal to the group
reaches both.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOOPBACK = "127.0.0.1"
FOLDER_ID = "kiosk-journals"
START_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 45.0
STOP_TIMEOUT_S = 10.0
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy"}
# Never through a proxy: every request of these tests goes to 127.0.0.1 directly.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def binary() -> str | None:
    """The `syncthing` program on PATH, if any."""
    return shutil.which("syncthing")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Instance:
    """One Syncthing: its home, its shared folder, its ports, its key and, once started, its
    process."""

    name: str
    home: Path
    folder: Path
    gui_port: int = field(default_factory=free_port)
    listen_port: int = field(default_factory=free_port)
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    device_id: str = ""
    process: subprocess.Popen[bytes] | None = None
    # HOME for Syncthing ("~" in folder paths); the instance's home when not given.
    user_home: Path | None = None

    @property
    def log(self) -> Path:
        return self.home / "syncthing.log"

    @property
    def gui_url(self) -> str:
        return f"http://{LOOPBACK}:{self.gui_port}"

    @property
    def peer_address(self) -> str:
        return f"tcp://{LOOPBACK}:{self.listen_port}"

    def get(self, path: str, timeout: float = 5.0) -> Any:
        """GET a REST endpoint with the API key; the answer's JSON."""
        request = urllib.request.Request(self.gui_url + path, headers={"X-API-Key": self.api_key})
        with _OPENER.open(request, timeout=timeout) as response:
            return json.loads(response.read())

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def environment(instance: Instance) -> dict[str, str]:
    """The caller's environment without proxies (Syncthing dials through `all_proxy`), with
    Syncthing's own restart, upgrade and hashing switches, and `HOME` of the instance's own."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
    env.update(
        HOME=str(instance.user_home or instance.home),
        STNORESTART="1",
        STNOUPGRADE="1",
        STHASHING="minio",
        STNODEFAULTFOLDER="1",
    )
    return env


def prepare(name: str, home: Path, folder: Path, user_home: Path | None = None) -> Instance:
    """Make the home (keys and a first config) and the shared folder with its marker; learn
    the device ID."""
    program = binary()
    assert program, "syncthing is not installed"
    instance = Instance(name, home, folder, user_home=user_home)
    home.mkdir(parents=True, exist_ok=True)
    (folder / ".stfolder").mkdir(parents=True, exist_ok=True)  # must exist before start
    env = environment(instance)
    subprocess.run(
        [program, "generate", f"--home={home}", "--no-default-folder"],
        env=env,
        capture_output=True,
        check=True,
        timeout=60,
    )
    done = subprocess.run(
        [program, "serve", "--device-id", f"--home={home}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    instance.device_id = done.stdout.strip()
    assert instance.device_id, done.stderr
    return instance


def _element(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attrs)
    if text is not None:
        child.text = str(text).lower() if isinstance(text, bool) else str(text)
    return child


OPTIONS: dict[str, object] = {
    "globalAnnounceEnabled": False,
    "localAnnounceEnabled": False,
    "relaysEnabled": False,
    "natEnabled": False,  # also turns STUN off
    "crashReportingEnabled": False,
    "startBrowser": False,
    "urAccepted": -1,  # usage reporting refused, and never asked again
    "autoUpgradeIntervalH": 0,
    "announceLANAddresses": False,
    "reconnectionIntervalS": 5,
}


def configure(
    instance: Instance,
    peers: list[Instance],
    *,
    share: bool = True,
    rescan_s: int = 10,
    watch_delay_s: int = 1,
    options: dict[str, object] | None = None,
) -> None:
    """Write the instance's config.xml: itself and its peers (each at its loopback address),
    the GUI on loopback with the API key, everything that would leave the machine off, and
    (with `share`) the folder shared with every peer, watched with the shortest delay."""
    root = ET.Element("configuration", version="36")
    if share:
        folder = _element(
            root,
            "folder",
            id=FOLDER_ID,
            label="kiosk journals",
            path=str(instance.folder),
            type="sendreceive",
            rescanIntervalS=str(rescan_s),
            fsWatcherEnabled="true",
            fsWatcherDelayS=str(watch_delay_s),  # whole seconds; 1 is the least
        )
        for member in [instance, *peers]:
            _element(folder, "device", id=member.device_id)
    for member in [instance, *peers]:
        device = _element(root, "device", id=member.device_id, name=member.name)
        _element(device, "address", member.peer_address if member is not instance else "dynamic")
    gui = _element(root, "gui", enabled="true", tls="false")
    _element(gui, "address", f"{LOOPBACK}:{instance.gui_port}")
    _element(gui, "apikey", instance.api_key)
    settings = _element(root, "options")
    _element(settings, "listenAddress", instance.peer_address)
    for name, value in {**OPTIONS, **(options or {})}.items():
        _element(settings, name, value)
    ET.ElementTree(root).write(
        instance.home / "config.xml", encoding="utf-8", xml_declaration=False
    )


def start(instance: Instance, timeout: float = START_TIMEOUT_S) -> float:
    """Start `syncthing serve` in a process group of its own and wait for its REST ping; the
    seconds that took."""
    program = binary()
    assert program, "syncthing is not installed"
    with instance.log.open("ab") as log:
        instance.process = subprocess.Popen(
            [
                program,
                "serve",
                "--no-browser",
                "--no-restart",
                "--no-upgrade",
                f"--home={instance.home}",
            ],
            env=environment(instance),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group (and session)
        )
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if instance.process.poll() is not None:
            raise RuntimeError(
                f"syncthing {instance.name} exited with {instance.process.returncode}:\n"
                + instance.log_tail()
            )
        try:
            if instance.get("/rest/system/ping", timeout=1.0).get("ping") == "pong":
                return time.monotonic() - began
        except (OSError, urllib.error.URLError, ValueError):
            pass
        time.sleep(0.1)
    raise TimeoutError(
        f"syncthing {instance.name} did not answer its ping within {timeout:.0f} s:\n"
        + instance.log_tail()
    )


def connected(instance: Instance, peer: Instance) -> bool:
    """Whether `instance` reports `peer` connected."""
    try:
        connections = instance.get("/rest/system/connections", timeout=2.0)["connections"]
    except (OSError, urllib.error.URLError, ValueError, KeyError):
        return False
    return bool(connections.get(peer.device_id, {}).get("connected"))


def wait_connected(a: Instance, b: Instance, timeout: float = CONNECT_TIMEOUT_S) -> float:
    """Wait until each reports the other connected; the seconds it took."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if connected(a, b) and connected(b, a):
            return time.monotonic() - began
        time.sleep(0.1)
    raise TimeoutError(
        f"syncthing {a.name} and {b.name} did not connect within {timeout:.0f} s\n"
        f"--- {a.name}:\n{a.log_tail()}\n--- {b.name}:\n{b.log_tail()}"
    )


def stop(instance: Instance, timeout: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM to the instance's process group; SIGKILL to the group after `timeout`."""
    process = instance.process
    if process is None:
        return
    group = process.pid  # start_new_session: the group's id is the leader's pid
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    # The monitor may be gone while its child lives on: wait for the whole group, then end
    # whatever is left of it.
    while time.monotonic() < deadline and _group_alive(group):
        time.sleep(0.05)
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=timeout)
    instance.process = None


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
