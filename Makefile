# The two commands of the README's quick start: `make run` and `make test`. Each sets up what it
# needs from a fresh clone: system libraries for Qt (Debian/Ubuntu, when missing), the venv,
# the package with its test extras.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# Shared libraries PySide6's wheels need, offscreen included; xcb ones for a real window.
APT_QT := libglib2.0-0 libgl1 libegl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 \
	libdbus-1-3 libpulse0
APT_XCB := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
	libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1 \
	libxcb-randr0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0
# What the tests need beyond Qt: tests/integration syncs two kiosks through real Syncthings.
APT_TEST := syncthing cups printer-driver-cups-pdf
# Debian's own python3 ships venv's pip bootstrap separately.
APT_VENV := $(shell $(PYTHON) -c "import ensurepip" 2>/dev/null || echo python3-venv)

.PHONY: run test lint bench system-packages display clean

run: display
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(APT_VENV) $(APT_QT) $(APT_XCB)"
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/kiosk

test:
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(APT_VENV) $(APT_QT) $(APT_TEST)"
	@$(MAKE) --no-print-directory $(STAMP)
	$(MAKE) --no-print-directory lint
	QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check kiosk tests bench
	$(BIN)/ruff format --check kiosk tests bench
	$(BIN)/mypy kiosk
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/checkin.py

$(STAMP):
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" || { \
		echo "kiosk needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version)." >&2; \
		echo "Run make with PYTHON=python3.11 (or newer)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The desk is a window: say so plainly rather than let Qt abort without a screen.
display:
	@if [ "$$(uname -s)" = Linux ] && [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "make run needs a screen (no DISPLAY or WAYLAND_DISPLAY here)." >&2; \
		echo "Without one: make test, or kiosk screenshot desk --out desk.png" >&2; exit 1; \
	fi

# Installs the listed Debian packages that are missing (a library renamed with a t64 suffix, as
# on Debian 13 and Ubuntu 24.04, counts as there); a no-op elsewhere or when all are present.
system-packages:
	@command -v dpkg-query >/dev/null || exit 0; \
	missing=""; for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p $${p}t64 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	echo "Installing system packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "Please install:$$missing" >&2; exit 1; fi; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
