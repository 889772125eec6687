"""kiosk.resources: fonts, styles, translations and the demo event, installed as package data."""
