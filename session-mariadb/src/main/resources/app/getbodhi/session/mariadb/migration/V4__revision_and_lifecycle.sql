-- Concurrency and lifecycle (see SessionStore's Javadoc):
-- revision             grows by one on every write, so an update can be made conditional on the
--                      revision the request loaded and a concurrent change is merged, not lost;
-- created_at,          when the session was created and when a request last wrote it, in UTC
-- last_accessed_at     (DATETIME(3), as expiry_date); rows made before this migration get its
--                      time, the best this database knows: UTC_TIMESTAMP(3), which, unlike NOW(),
--                      does not depend on the session's time_zone, so a caller's data source
--                      without the store's settings fills them right too;
-- max_inactive_seconds the session's own timeout; NULL: the session layer's applies.
ALTER TABLE bodhi_sessions ADD COLUMN IF NOT EXISTS revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bodhi_sessions
    ADD COLUMN IF NOT EXISTS created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3));
ALTER TABLE bodhi_sessions
    ADD COLUMN IF NOT EXISTS last_accessed_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3));
ALTER TABLE bodhi_sessions ADD COLUMN IF NOT EXISTS max_inactive_seconds INT NULL;
