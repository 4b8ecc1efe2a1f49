-- An index key must stay within InnoDB's 3,072 bytes, so the user index holds the first 255
-- characters of user_id (1,020 bytes) and an equality lookup rechecks the whole value in the row.
CREATE INDEX IF NOT EXISTS idx_bodhi_sessions_user_id ON bodhi_sessions (user_id(255));

-- deleteExpired() scans by expiry.
CREATE INDEX IF NOT EXISTS idx_bodhi_sessions_expiry_date ON bodhi_sessions (expiry_date);
