"""kiosk: offline-first conference check-in desk, self-service badge kiosk and lobby board."""

__version__ = "0.1.0"
