-- Concurrency and lifecycle (see SessionStore's Javadoc):
-- revision            grows by one on every write, so an update can be made conditional on the
--                     revision the request loaded and a concurrent change is merged, not lost;
-- created_at,         epoch milliseconds (UTC) like expiry_date: when the session was created and
-- last_accessed_at    when a request last wrote it, kept across requests and nodes;
-- max_inactive_seconds the session's own timeout; NULL: the session layer's applies.
-- SQLite cannot add a NOT NULL column with a non-constant default, so the times start at 0 and are
-- then set to the migration's time: the best this database knows of sessions made before it.
ALTER TABLE bodhi_sessions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bodhi_sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bodhi_sessions ADD COLUMN last_accessed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bodhi_sessions ADD COLUMN max_inactive_seconds INTEGER;
UPDATE bodhi_sessions
   SET created_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000,
       last_accessed_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
