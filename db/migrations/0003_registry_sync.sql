-- Registry sync: every journal entry gets a hybrid logical clock reading (hlc), so kiosks whose
-- clocks disagree still order entries the same way; every attendee record remembers which
-- entry set it (version) and which last changed what a badge shows (badge_version), so the
-- newest record wins on every kiosk and a changed name asks for a reprint. Large imports are
-- staged first and applied in short steps, so check-ins never wait long for them.

DROP TRIGGER journal_no_update;

ALTER TABLE journal ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
-- Entries written so far: their wall-clock time in milliseconds, counter 0 (core/journal.py).
UPDATE journal SET hlc = printf(
    '%015d.%06d',
    CAST(round((julianday(substr(at, 1, 26)) - 2440587.5) * 86400000.0) AS INTEGER),
    0
);
CREATE INDEX journal_hlc ON journal (hlc);
-- The newest registration record of each attendee, and the kiosks heard from.
CREATE INDEX journal_kind_attendee ON journal (kind, attendee_id, hlc);
CREATE INDEX journal_origin_at ON journal (origin, at);

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;

ALTER TABLE attendees ADD COLUMN version TEXT NOT NULL DEFAULT '';
ALTER TABLE attendees ADD COLUMN badge_version TEXT NOT NULL DEFAULT '';

-- One row per import: what file, how far it got. An import that is still 'staging' when a
-- kiosk opens the file was cut off before it changed anything and is dropped; one that is
-- 'applying' is finished, so the registry is never left half-imported.
CREATE TABLE imports (
    id          TEXT PRIMARY KEY,
    file        TEXT NOT NULL,
    format      TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL CHECK (state IN ('staging', 'applying', 'done', 'failed')),
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    report      TEXT NOT NULL DEFAULT '{}'   -- JSON: the import's report
);

-- The journal entries a large import will append, written in short steps before any is
-- applied.
CREATE TABLE import_stage (
    import_id TEXT NOT NULL REFERENCES imports (id),
    n         INTEGER NOT NULL,
    entry     TEXT NOT NULL,                 -- JSON, as another kiosk would receive it
    PRIMARY KEY (import_id, n)
);
