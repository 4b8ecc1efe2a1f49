-- Concurrency and lifecycle (see SessionStore's Javadoc):
-- revision             grows by one on every write, so an update can be made conditional on the
--                      revision the request loaded and a concurrent change is merged, not lost;
-- created_at,          when the session was created and when a request last wrote it, kept
-- last_accessed_at     across requests and nodes; rows made before this migration get its time,
--                      the best this database knows (now() is stable, so PostgreSQL stores it
--                      once as the columns' missing value instead of rewriting the table);
-- max_inactive_seconds the session's own timeout; NULL: the session layer's applies.
ALTER TABLE bodhi_sessions ADD COLUMN IF NOT EXISTS revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bodhi_sessions ADD COLUMN IF NOT EXISTS created_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE bodhi_sessions ADD COLUMN IF NOT EXISTS last_accessed_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE bodhi_sessions ADD COLUMN IF NOT EXISTS max_inactive_seconds INTEGER;
