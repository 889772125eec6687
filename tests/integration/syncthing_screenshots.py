"""Not a test: takes the Syncthing screenshots of docs/MULTI-KIOSK.md from two real Syncthings.

Two kiosks, "Kiosk 1" and "Kiosk 2", are set up through the Syncthing web GUI as the guide
tells venue staff to, in headless Chromium driven over the DevTools protocol on a pipe (no
port): show an ID, add the device, accept it, add and share the folder, accept it; then two
kiosk databases exchange journals through the folder and the last screenshot shows it in step.
Needs Debian's `syncthing` and `chromium`. Everything stays on 127.0.0.1; to be sure of it, and
to have the homes appear as /home/kiosk1 and /home/kiosk2, run it as root in namespaces of its
own, where only loopback exists and /home is an empty tmpfs:

    unshare --net --mount sh -c 'ip link set lo up && mount -t tmpfs tmpfs /home &&
        .venv/bin/python -m tests.integration.syncthing_screenshots docs/screenshots --homes /home'
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.integration import syncthing as st

WIDTH, HEIGHT = 1280, 900
DEMO_CODE = "032857605093"  # a demo attendee (Ivana Kadlecová)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--remote-debugging-pipe",
]
# Helpers evaluated before each script in the page.
PRELUDE = r"""
var visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
var norm = t => t.trim().replace(/\s+/g, ' ');
var clickText = (sel, text) => {
  const els = [...document.querySelectorAll(sel)].filter(visible);
  const el = els.find(e => norm(e.textContent) === text)
    || els.find(e => norm(e.textContent).includes(text));
  if (!el) return false;
  el.click();
  return true;
};
var isShown = id => {
  const m = document.getElementById(id);
  return !!m && m.classList.contains('in') && visible(m);
};
var setInput = (sel, value) => {
  const el = document.querySelector(sel);
  if (!el) return false;
  el.value = value;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return true;
};
"""
TICK_SHARE = """(() => {
  const box = [...document.querySelectorAll('#editFolder input[type=checkbox]')].filter(visible)
    .find(e => e.closest('label, div').innerText.includes('Kiosk 2'));
  if (!box) return false;
  if (!box.checked) box.click();
  return box.checked;
})()"""


class Browser:
    """Headless Chromium spoken to over --remote-debugging-pipe: commands on its fd 3,
    answers and events on its fd 4, each a JSON message ended by a NUL byte."""

    def __init__(self, user_data: Path) -> None:
        to_chrome, self._out = os.pipe()
        self._in, from_chrome = os.pipe()

        def fds() -> None:
            # Through fresh copies: dup2 onto the same number would keep close-on-exec.
            read, write = os.dup(to_chrome), os.dup(from_chrome)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [
                "chromium",
                *CHROMIUM_FLAGS,
                f"--user-data-dir={user_data}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            preexec_fn=fds,  # noqa: PLW1509 (this program runs no threads)
            close_fds=False,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._id = 0
        self._session = ""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self._in], [], [], left)
            if ready:
                chunk = os.read(self._in, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed its pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        answer: dict[str, Any] = json.loads(message)
        return answer

    def call(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if self._session and not method.startswith("Target."):
            message["sessionId"] = self._session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result

    def js(self, code: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=PRELUDE + code, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{code[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, code: str, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.js(code)
            except RuntimeError:
                value = None
            if value:
                return value
            time.sleep(0.2)
        raise TimeoutError(f"not within {timeout:.0f} s: {code}")

    def click(self, selector: str, text: str) -> None:
        if not self.js(f"clickText({json.dumps(selector)}, {json.dumps(text)})"):
            raise RuntimeError(f"nothing to click: {selector} {text!r}")

    def type(self, selector: str, value: str) -> None:
        if not self.js(f"setInput({json.dumps(selector)}, {json.dumps(value)})"):
            raise RuntimeError(f"no field {selector}")

    def open(self, instance: st.Instance) -> None:
        self.call("Page.navigate", url=instance.gui_url + "/")
        self.wait(
            "typeof angular !== 'undefined' && "
            "[...document.querySelectorAll('button')].filter(visible).length > 2"
        )
        time.sleep(1.5)  # the first status answers

    def wait_for_text(self, instance: st.Instance, text: str, timeout: float = 60.0) -> None:
        """Reload now and then until the page says `text` (the GUI shows news on a timer)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.open(instance)
            try:
                self.wait(f"document.body.innerText.includes({json.dumps(text)})", 5)
                return
            except TimeoutError:
                continue
        raise TimeoutError(f"{instance.name}: no {text!r} within {timeout:.0f} s")

    def shot(self, path: Path) -> None:
        time.sleep(0.8)  # a dialog's fade-in
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        print("wrote", path)

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
            self.process.wait(timeout=10)
        except (RuntimeError, TimeoutError, OSError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=10)
        os.close(self._out)
        os.close(self._in)


def kiosk(root: Path, db: str, *args: str) -> str:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_STATE_HOME": str(root / "state"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--db", str(root / db), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    print(f"{db}: kiosk {args[0]}: {done.stdout.strip()}")
    return done.stdout


def arrived(source: st.Instance, target: st.Instance, timeout: float = 90.0) -> None:
    """Wait until every journal file of `source`'s folder is in `target`'s, as long."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        wanted = {p.name: p.stat().st_size for p in source.folder.glob("*.journal.jsonl")}
        if all(
            (target.folder / name).exists() and (target.folder / name).stat().st_size == size
            for name, size in wanted.items()
        ):
            print(f"{source.name} -> {target.name}: {time.monotonic() - began:.1f} s")
            return
        time.sleep(0.2)
    raise TimeoutError(f"{source.name} -> {target.name}: not within {timeout:.0f} s")


def shoot(out: Path, homes: Path, work: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    one, two = homes / "kiosk1", homes / "kiosk2"
    k1 = st.prepare("Kiosk 1", one / ".config" / "syncthing", one / "kiosk-sync", user_home=one)
    k2 = st.prepare("Kiosk 2", two / ".config" / "syncthing", two / "kiosk-sync", user_home=two)
    for instance in (k1, k2):  # Syncthing makes the folder when it is added, as on a kiosk
        shutil.rmtree(instance.folder)
        st.configure(instance, [], share=False)
    browser = None
    try:
        st.start(k1)
        st.start(k2)
        browser = Browser(work / "chromium")

        browser.open(k2)
        browser.click("a.dropdown-toggle", "Actions")
        time.sleep(0.3)
        browser.click("a", "Show ID")
        browser.wait("isShown('idqr') && document.querySelector('#idqr img').naturalWidth > 0")
        browser.shot(out / "syncthing-1-show-id.png")

        browser.open(k1)
        browser.click("button", "Add Remote Device")
        browser.wait("isShown('editDevice')")
        browser.type("#deviceID", k2.device_id)
        browser.type("#name", "Kiosk 2")
        # No discovery on loopback: the address, in the Advanced tab (a LAN kiosk keeps dynamic).
        browser.type("#addresses", k2.peer_address)
        browser.shot(out / "syncthing-2-add-device.png")
        browser.click("#editDevice button", "Save")
        browser.wait("!isShown('editDevice')")

        browser.wait_for_text(k2, "wants to connect")
        browser.shot(out / "syncthing-3-accept-device.png")
        browser.click("button", "Add Device")
        browser.wait("isShown('editDevice')")
        time.sleep(0.5)
        browser.click("#editDevice button", "Save")
        browser.wait("!isShown('editDevice')")
        st.wait_connected(k1, k2)

        browser.open(k1)
        browser.click("button", "Add Folder")
        browser.wait("isShown('editFolder')")
        time.sleep(0.5)
        browser.type("#folderLabel", "kiosk-sync")
        browser.type("#folderPath", "~/kiosk-sync")
        browser.shot(out / "syncthing-4-add-folder.png")
        browser.click("#editFolder a", "Sharing")
        time.sleep(0.5)
        if not browser.js(TICK_SHARE):
            raise RuntimeError("no Kiosk 2 to share the folder with")
        browser.shot(out / "syncthing-5-share-folder.png")
        browser.click("#editFolder button", "Save")
        browser.wait("!isShown('editFolder')")

        browser.wait_for_text(k2, "wants to share folder")
        browser.shot(out / "syncthing-6-accept-folder.png")
        browser.click("button", "Add")
        browser.wait("isShown('editFolder')")
        time.sleep(0.5)
        browser.shot(out / "syncthing-7-accept-folder-path.png")
        browser.click("#editFolder button", "Save")
        browser.wait("!isShown('editFolder')")

        # Two kiosks of one event exchange their journals through the folder.
        kiosk(work, "kiosk1.sqlite3", "demo")
        kiosk(work, "kiosk1.sqlite3", "export-event", str(work / "event.json"))
        kiosk(work, "kiosk2.sqlite3", "init", "--from-event", str(work / "event.json"))
        folder_id = k1.get("/rest/config/folders")[0]["id"]
        # The GUI's default: a change is sent 10 s after it happens.
        kiosk(work, "kiosk1.sqlite3", "sync", "--dir", str(k1.folder))
        arrived(k1, k2)
        kiosk(work, "kiosk2.sqlite3", "sync", "--dir", str(k2.folder))
        kiosk(work, "kiosk2.sqlite3", "checkin", DEMO_CODE, "--at", "2023-10-23T08:41")
        kiosk(work, "kiosk2.sqlite3", "sync", "--dir", str(k2.folder))
        arrived(k2, k1)
        kiosk(work, "kiosk1.sqlite3", "sync", "--dir", str(k1.folder))
        time.sleep(12)
        for instance in (k1, k2):
            state = instance.get(f"/rest/db/status?folder={folder_id}")
            names = sorted(path.name for path in instance.folder.iterdir())
            print(instance.name, state["state"], state["localFiles"], "files:", names)
        browser.open(k1)
        browser.click(".panel-heading", "kiosk-sync")
        time.sleep(3)
        browser.shot(out / "syncthing-8-in-step.png")
    finally:
        if browser is not None:
            browser.close()
        st.stop(k2)
        st.stop(k1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where the PNG files go")
    parser.add_argument("--homes", type=Path, help="where kiosk1/ and kiosk2/ are made")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="syncthing-shots-") as work:
        shoot(args.out.resolve(), args.homes or Path(work) / "home", Path(work))


if __name__ == "__main__":
    main()
