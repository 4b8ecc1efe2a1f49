-- Per-user queries filter on user_id and expiry_date and return ids. With user_id alone in the
-- index, each of a user's sessions cost a read of its table row to check the expiry, and on a
-- large table those rows are rarely in the page cache. With all three columns the count and the
-- id list are answered from the index alone. The name stays, so tools that look for it find it.
DROP INDEX IF EXISTS idx_bodhi_sessions_user_id;
CREATE INDEX idx_bodhi_sessions_user_id ON bodhi_sessions (user_id, expiry_date, id);
