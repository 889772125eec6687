-- The badge print queue: this kiosk's own jobs (they never travel, the `print` journal entry of a
-- badge that came out does). A job holds what to print, not the PDF: it is rendered when it is
-- sent, so a queued badge shows the name as it is then, and the file does not grow by a PDF per
-- attendee.

CREATE TABLE print_jobs (
    id           INTEGER PRIMARY KEY,
    -- Not a foreign key: old jobs must not hold up a purge of attendees after the event.
    attendee_id  TEXT NOT NULL,
    layout       TEXT NOT NULL,               -- a BadgeRenderer layout: a6, a7, label-62, ...
    copies       INTEGER NOT NULL DEFAULT 1 CHECK (copies BETWEEN 1 AND 10),
    -- queued: waits to be sent (new, a retry's delay, a stopped printer). printing: a worker took
    -- it, and once cups_job is set CUPS holds it. done: CUPS finished it. failed: out of
    -- attempts, waits for staff.
    state        TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'printing', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,  -- failed attempts since it was queued or retried
    last_error   TEXT NOT NULL DEFAULT '',    -- why the last attempt failed, for staff
    cups_job     TEXT,                        -- CUPS's request id (KIOSK-PDF-12) once accepted
    printer      TEXT NOT NULL DEFAULT '',    -- the CUPS queue it went (or is meant) to
    reason       TEXT NOT NULL DEFAULT 'checkin'
                 CHECK (reason IN ('checkin', 'reprint', 'walkin')),
    station      TEXT NOT NULL DEFAULT '',    -- the station that asked for it
    rehearsal    INTEGER NOT NULL DEFAULT 0,  -- asked for by a check-in on a rehearsal clock
    self_service INTEGER NOT NULL DEFAULT 0,  -- asked for by an attendee at a self-service kiosk
    next_at      TEXT NOT NULL,               -- UTC: not sent before then (a retry's delay)
    claimed_at   TEXT,                        -- UTC: when a worker took it; unsent after a lease: requeued
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
-- The worker's look for the next due job, and a desk's look for what is still pending.
CREATE INDEX print_jobs_due ON print_jobs (state, next_at, id);
CREATE INDEX print_jobs_attendee ON print_jobs (attendee_id, state);

-- The change feed's counter for the queue, so a screen can show a job's progress.
INSERT INTO changes (topic) VALUES ('prints');
CREATE TRIGGER print_jobs_changed_insert AFTER INSERT ON print_jobs
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'prints';
END;
CREATE TRIGGER print_jobs_changed_update AFTER UPDATE ON print_jobs
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'prints';
END;
CREATE TRIGGER print_jobs_changed_delete AFTER DELETE ON print_jobs
BEGIN
    UPDATE changes SET version = version + 1 WHERE topic = 'prints';
END;
