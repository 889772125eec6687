"""How kiosk ships: the wheel and the PyInstaller one-folder app, each run outside the checkout."""
