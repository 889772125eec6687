-- Key rotation: the event's earlier public keys, as a JSON list of
-- {"public_key": base64, "retired_at": ISO 8601 UTC, "trusted": bool}; codes they signed are
-- admitted (trusted) or admitted only when this kiosk already holds the code (not trusted).
ALTER TABLE event ADD COLUMN retired_keys TEXT NOT NULL DEFAULT '[]';

-- Files this kiosk wrote for people (check-in exports, badge PDFs), so `kiosk purge` can find
-- them again; a file is removed only while it is still the one written (device, inode, size
-- and modification time as they were).
CREATE TABLE outputs (
    path        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    device      INTEGER NOT NULL,
    inode       INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER NOT NULL,
    written_at  TEXT NOT NULL
);
