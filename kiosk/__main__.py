"""Lets `python -m kiosk` behave like the `kiosk` command."""

from kiosk.cli import main

raise SystemExit(main())
