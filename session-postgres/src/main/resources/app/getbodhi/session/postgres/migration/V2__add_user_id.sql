-- The user column mirrors data["user_id"] so a user's sessions can be found and cleared without
-- reading every row. IF NOT EXISTS: safe on a legacy table that already has it; existing rows keep
-- NULL until their next save.
ALTER TABLE bodhi_sessions ADD COLUMN IF NOT EXISTS user_id TEXT;

CREATE INDEX IF NOT EXISTS idx_bodhi_sessions_user_id ON bodhi_sessions (user_id);
