-- The first schema: the event, stations, attendees and their codes, and the append-only journal.
-- Released migrations are never edited; later changes go into new numbered files.

CREATE TABLE event (
    id          TEXT PRIMARY KEY,            -- short base32 id, part of every kiosk-issued code
    one         INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (one = 1),  -- a file serves one event
    name        TEXT NOT NULL,
    venue       TEXT NOT NULL DEFAULT '',
    timezone    TEXT NOT NULL,               -- IANA name, e.g. Europe/Prague
    days        TEXT NOT NULL,               -- JSON list of ISO dates
    locale      TEXT NOT NULL DEFAULT 'en',  -- language of the event: sorting and the UI
    public_key  BLOB,                        -- Ed25519, 32 bytes: verifies kiosk codes
    private_key BLOB,                        -- Ed25519, 32 bytes: signs them; absent on verify-only kiosks
    created_at  TEXT NOT NULL
);

-- This kiosk's own settings (its station name, ...), one row per key.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE stations (
    name       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE attendees (
    num             INTEGER PRIMARY KEY,     -- local row number; VACUUM keeps it, the index uses it
    id              TEXT NOT NULL UNIQUE,    -- random base32, stable across kiosks
    registration_id TEXT UNIQUE,             -- the registration system's own id, when it has one
    first_name      TEXT NOT NULL DEFAULT '',
    last_name       TEXT NOT NULL DEFAULT '',
    organisation    TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    days            TEXT NOT NULL DEFAULT '[]',  -- JSON list of ISO dates; empty = every event day
    extra           TEXT NOT NULL DEFAULT '{}',  -- JSON object of the import's other columns
    source          TEXT NOT NULL DEFAULT '',    -- 'import', 'walkin', ...
    search_text     TEXT NOT NULL DEFAULT '',    -- folded names, organisation, e-mail (kiosk.core.text)
    sort_key        TEXT NOT NULL DEFAULT '',    -- surname, first name in the event's collation
    updated_at      TEXT NOT NULL
);

CREATE INDEX attendees_sort ON attendees (sort_key);
CREATE INDEX attendees_status ON attendees (status);
-- Narrow and covering: sorting thousands of search matches reads this, not the wide rows.
CREATE INDEX attendees_num_sort ON attendees (num, sort_key);

CREATE TABLE codes (
    code        TEXT PRIMARY KEY,            -- exactly as issued: case and leading zeros matter
    attendee_id TEXT NOT NULL REFERENCES attendees (id),
    kind        TEXT NOT NULL CHECK (kind IN ('registration', 'kiosk')),
    created_at  TEXT NOT NULL
);
CREATE INDEX codes_attendee ON codes (attendee_id);
-- Search by the first characters of a code, whatever their case.
CREATE INDEX codes_nocase ON codes (code COLLATE NOCASE);

-- Append-only: what happened, where and when. Entries from other kiosks may name attendees this
-- kiosk has not seen yet, so attendee_id is not a foreign key.
CREATE TABLE journal (
    uuid        TEXT PRIMARY KEY,
    station     TEXT NOT NULL,
    seq         INTEGER NOT NULL,            -- 1, 2, 3, ... per station
    kind        TEXT NOT NULL,               -- checkin, undo, walkin, ...
    at          TEXT NOT NULL,               -- UTC, ISO 8601 with microseconds
    day         TEXT,                        -- the event day (local date) it counts for
    attendee_id TEXT,
    code        TEXT,
    ref         TEXT,                        -- the entry an undo cancels
    data        TEXT NOT NULL DEFAULT '{}',
    UNIQUE (station, seq)
);
CREATE INDEX journal_attendee_day ON journal (attendee_id, day);
CREATE INDEX journal_ref ON journal (ref) WHERE ref IS NOT NULL;
CREATE INDEX journal_day ON journal (day, kind, attendee_id);

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;

-- Full-text index over attendees.search_text, kept in step by the triggers below. The text is
-- folded in Python before it gets here, which also folds the letters SQLite does not (ł, ø, ß).
-- Prefix indexes make search-as-you-type cheap for the first letters typed.
CREATE VIRTUAL TABLE attendees_fts USING fts5 (
    search_text,
    content = 'attendees',
    content_rowid = 'num',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
CREATE TRIGGER attendees_fts_insert AFTER INSERT ON attendees
BEGIN
    INSERT INTO attendees_fts (rowid, search_text) VALUES (new.num, new.search_text);
END;
CREATE TRIGGER attendees_fts_delete AFTER DELETE ON attendees
BEGIN
    INSERT INTO attendees_fts (attendees_fts, rowid, search_text)
    VALUES ('delete', old.num, old.search_text);
END;
CREATE TRIGGER attendees_fts_update AFTER UPDATE OF search_text ON attendees
BEGIN
    INSERT INTO attendees_fts (attendees_fts, rowid, search_text)
    VALUES ('delete', old.num, old.search_text);
    INSERT INTO attendees_fts (rowid, search_text) VALUES (new.num, new.search_text);
END;
