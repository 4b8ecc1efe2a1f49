-- A B-tree entry must fit in a third of a page (about 2.7 kB), so a long user id could not be
-- saved. Every query compares user_id with '=', which a hash index serves with no size limit.
-- Dropping first also replaces a B-tree that an older release (or V2) created under this name.
DROP INDEX IF EXISTS idx_bodhi_sessions_user_id;
CREATE INDEX idx_bodhi_sessions_user_id ON bodhi_sessions USING hash (user_id);
