"""kiosk.db: the numbered SQL migrations, installed as package data (migrations/NNNN_*.sql)."""
