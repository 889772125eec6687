-- An unchanged re-import answered without reading the registry: an import remembers the file
-- it read (a digest of its bytes with the import's options, `fingerprint`) and, when nothing
-- but the import itself wrote to the registry from its plan to its end, the registry's version
-- it left (`registry`: the change counters of attendees and event) and the report a re-import
-- of the same file gives as long as the registry stays so (`again`, JSON). Imports made before
-- remember nothing: their files are read again.

ALTER TABLE imports ADD COLUMN fingerprint TEXT;
ALTER TABLE imports ADD COLUMN registry TEXT;
ALTER TABLE imports ADD COLUMN again TEXT;
CREATE INDEX imports_fingerprint ON imports (fingerprint, finished_at)
    WHERE fingerprint IS NOT NULL;
