-- The user column mirrors data["user_id"] so a user's sessions can be found and cleared without
-- reading every row. Any Unicode string, emoji included (utf8mb4), compared exactly
-- (utf8mb4_nopad_bin: 'e' is not 'é', 'a' is not 'A', and 'bob ' is not 'bob': utf8mb4_bin is a
-- PAD SPACE collation, which ignores trailing spaces in comparisons, so the store contract's
-- "bob " would find bob's sessions); TEXT, up to 65,535 bytes, as PostgreSQL takes long user ids
-- too. IF NOT EXISTS: safe on a legacy table that already has it; existing rows keep NULL until
-- their next save.
ALTER TABLE bodhi_sessions
    ADD COLUMN IF NOT EXISTS user_id TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL;
