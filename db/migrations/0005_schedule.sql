-- The schedule: the sessions of the imported schedule files, and each import (for "what
-- changed" and for how old the data is). On-site changes (delays, cancellations, moves, new
-- titles) are not here: they are `schedule` journal entries, so they reach every kiosk and
-- survive a re-import; the schedule shown is these sessions with those entries applied.

CREATE TABLE schedule_imports (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,               -- the schedule's name for itself: its acronym, ...
    file        TEXT NOT NULL,               -- the path it was imported from
    format      TEXT NOT NULL,               -- frab-xml, schedule-json, indico-json, ical
    version     TEXT NOT NULL DEFAULT '',    -- the file's own version text
    title       TEXT NOT NULL DEFAULT '',
    timezone    TEXT NOT NULL DEFAULT '',    -- the time zone the file declared
    rooms       TEXT NOT NULL DEFAULT '[]',  -- JSON: the file's rooms in its order
    imported_at TEXT NOT NULL,               -- UTC, ISO 8601 with microseconds
    report      TEXT NOT NULL DEFAULT '{}'   -- JSON: added, changed, removed, warnings, ...
);
CREATE INDEX schedule_imports_source ON schedule_imports (source, imported_at);

-- One row per session, keyed by our own key: source / the file's guid, code or id @ the
-- start the file gave it (core/schedule.py `session_key`); ids repeat in real files.
CREATE TABLE sessions (
    key       TEXT PRIMARY KEY,
    source    TEXT NOT NULL,
    ref       TEXT NOT NULL DEFAULT '',      -- the id people see in the file
    title     TEXT NOT NULL DEFAULT '',
    subtitle  TEXT NOT NULL DEFAULT '',
    start_at  TEXT NOT NULL,                 -- UTC, ISO 8601 with microseconds
    end_at    TEXT NOT NULL,
    room      TEXT NOT NULL DEFAULT '',
    speakers  TEXT NOT NULL DEFAULT '[]',    -- JSON list of names
    track     TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL DEFAULT '',      -- talk, break, workshop, ... as the file says
    language  TEXT NOT NULL DEFAULT '',
    abstract  TEXT NOT NULL DEFAULT '',
    url       TEXT NOT NULL DEFAULT '',
    cancelled INTEGER NOT NULL DEFAULT 0,    -- cancelled in the file itself (iCalendar STATUS)
    import_id TEXT NOT NULL REFERENCES schedule_imports (id)  -- the import that last wrote it
);
CREATE INDEX sessions_source ON sessions (source);
CREATE INDEX sessions_start ON sessions (start_at);

-- On-site changes are read by kind.
CREATE INDEX journal_schedule ON journal (hlc, origin, seq) WHERE kind = 'schedule';

-- The change feed's counter for the schedule: every session written and every import (which
-- also tells the board how old its data is).
INSERT OR IGNORE INTO changes (topic) VALUES ('schedule');

CREATE TRIGGER sessions_changed_insert AFTER INSERT ON sessions
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'schedule';
END;
CREATE TRIGGER sessions_changed_update AFTER UPDATE ON sessions
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'schedule';
END;
CREATE TRIGGER sessions_changed_delete AFTER DELETE ON sessions
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'schedule';
END;
CREATE TRIGGER schedule_imports_changed_insert AFTER INSERT ON schedule_imports
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'schedule';
END;
