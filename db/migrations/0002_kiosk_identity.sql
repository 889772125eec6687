-- A journal that merges: every database is a kiosk with a random id of its own, and every journal
-- entry carries the kiosk it was written on (origin) and its number there (seq), so entries from
-- other kiosks are stored unchanged. The station name stays, as a label people read.
-- Also: change counters, so every screen learns what another process or kiosk changed.

CREATE TABLE kiosk (
    one        INTEGER PRIMARY KEY CHECK (one = 1),  -- a file is one kiosk
    id         TEXT NOT NULL,                       -- 16 hex digits, random; a joined kiosk gets its own
    created_at TEXT NOT NULL
);
INSERT INTO kiosk (one, id, created_at)
VALUES (1, lower(hex(randomblob(8))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));

DROP TRIGGER journal_no_update;
DROP TRIGGER journal_no_delete;

CREATE TABLE journal_merged (
    uuid        TEXT PRIMARY KEY,
    origin      TEXT NOT NULL,               -- the id of the kiosk that wrote the entry
    seq         INTEGER NOT NULL CHECK (seq > 0),  -- 1, 2, 3, ... per origin kiosk
    station     TEXT NOT NULL,               -- the station's name: a label, not an identity
    kind        TEXT NOT NULL,               -- checkin, undo, walkin, setting, ...
    at          TEXT NOT NULL,               -- UTC, ISO 8601 with microseconds
    day         TEXT,                        -- the event day (local date) it counts for
    attendee_id TEXT,
    code        TEXT,
    ref         TEXT,                        -- the entry an undo cancels
    data        TEXT NOT NULL DEFAULT '{}',
    UNIQUE (origin, seq)
);

-- Every entry so far was written here: it becomes this kiosk's, numbered in the order stored.
INSERT INTO journal_merged (uuid, origin, seq, station, kind, at, day, attendee_id, code, ref, data)
SELECT uuid, (SELECT id FROM kiosk), row_number() OVER (ORDER BY rowid), station, kind, at, day,
       attendee_id, code, ref, data
FROM journal ORDER BY rowid;

DROP TABLE journal;
ALTER TABLE journal_merged RENAME TO journal;

CREATE INDEX journal_attendee_day ON journal (attendee_id, day);
CREATE INDEX journal_ref ON journal (ref) WHERE ref IS NOT NULL;
CREATE INDEX journal_day ON journal (day, kind, attendee_id);
-- Event-wide settings are the newest `setting` entry of each name.
CREATE INDEX journal_settings ON journal (json_extract(data, '$.name'), at)
    WHERE kind = 'setting';

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;

-- What changed, for the change feed: a counter per topic, raised by every write to it. The
-- journal needs none: it only grows, so its highest rowid says how far a reader has got.
CREATE TABLE changes (
    topic   TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO changes (topic) VALUES ('attendees'), ('settings'), ('event');

CREATE TRIGGER attendees_changed_insert AFTER INSERT ON attendees
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'attendees';
END;
CREATE TRIGGER attendees_changed_update AFTER UPDATE ON attendees
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'attendees';
END;
CREATE TRIGGER attendees_changed_delete AFTER DELETE ON attendees
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'attendees';
END;
CREATE TRIGGER codes_changed_insert AFTER INSERT ON codes
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'attendees';
END;
CREATE TRIGGER codes_changed_delete AFTER DELETE ON codes
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'attendees';
END;
CREATE TRIGGER settings_changed_insert AFTER INSERT ON settings
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'settings';
END;
CREATE TRIGGER settings_changed_update AFTER UPDATE ON settings
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'settings';
END;
CREATE TRIGGER settings_changed_delete AFTER DELETE ON settings
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'settings';
END;
CREATE TRIGGER event_changed_insert AFTER INSERT ON event
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'event';
END;
CREATE TRIGGER event_changed_update AFTER UPDATE ON event
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'event';
END;
