-- Fewer index entries per check-in: every journal insert updated journal_kind_attendee and
-- journal_origin_at. The reprint lookup needs print entries only, so a partial index serves
-- it without being touched by check-ins; the kiosks-heard view groups by origin through the
-- (origin, seq) key.

DROP INDEX journal_kind_attendee;
DROP INDEX journal_origin_at;
CREATE INDEX journal_prints ON journal (attendee_id, hlc) WHERE kind = 'print';
