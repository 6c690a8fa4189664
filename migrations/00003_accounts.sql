-- +goose Up
-- Accounts: people, their second factor, one-time links, sessions and the
-- counters that slow down guessing. Rules that must never be broken live here
-- as constraints, so no code path can get around them.

CREATE TABLE users (
    id                 bigserial PRIMARY KEY,
    email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1),
    name               text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- NULL until an invited person sets a password: such an account cannot log in.
    password_hash      text CHECK (password_hash LIKE '$argon2id$%'),
    -- An applicant has neither role.
    is_admin           boolean NOT NULL DEFAULT false,
    is_board           boolean NOT NULL DEFAULT false,
    active             boolean NOT NULL DEFAULT true,
    email_confirmed_at timestamptz,
    language           text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es')),
    notify_email       boolean NOT NULL DEFAULT true,
    -- Base32 TOTP secret; set while enrolment is pending, enabled once a code confirmed it.
    totp_secret        text CHECK (totp_secret <> ''),
    totp_enabled_at    timestamptz CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL),
    -- The last 30-second step a code was accepted for: a code is never accepted twice.
    totp_last_step     bigint NOT NULL DEFAULT 0 CHECK (totp_last_step >= 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- One account per address, whatever its case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE recovery_codes (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    code_hash  text NOT NULL CHECK (length(code_hash) = 64), -- hex SHA-256
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz,
    UNIQUE (user_id, code_hash)
);

-- One-time links sent by email. Only a SHA-256 of the token is kept, so a
-- copy of the database opens no account.
CREATE TABLE user_tokens (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'invitation', 'change_email')),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    data       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose) WHERE used_at IS NULL;

-- Who is logged in where. The session id lives in the scs session; its
-- SHA-256 is kept here. Deleting a row logs that browser out on its next request.
CREATE TABLE user_sessions (
    id           bigserial PRIMARY KEY,
    sid_hash     bytea NOT NULL UNIQUE CHECK (length(sid_hash) = 32),
    user_id      bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ip           text NOT NULL DEFAULT '' CHECK (length(ip) <= 64),
    user_agent   text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 512)
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

-- scs's postgresstore, as its documentation defines it.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Fixed-window attempt counters (package ratelimit), shared by every process.
CREATE TABLE rate_limits (
    key        text PRIMARY KEY CHECK (key <> ''),
    hits       integer NOT NULL CHECK (hits > 0),
    window_end timestamptz NOT NULL
);
CREATE INDEX rate_limits_window_end_idx ON rate_limits (window_end);

-- +goose Down
DROP TABLE rate_limits;
DROP TABLE sessions;
DROP TABLE user_sessions;
DROP TABLE user_tokens;
DROP TABLE recovery_codes;
DROP TABLE users;
