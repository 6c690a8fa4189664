-- +goose Up
-- Passkeys (WebAuthn credentials): a second factor after the password, or a
-- sign-in on their own. Stored as go-webauthn's storage guidance says: the
-- credential id and the relying party as their own columns, the user handle
-- once per person, and the values an assertion changes (sign counter, flags)
-- written back after every use.

-- The WebAuthn user handle: random, never the row id nor the email, the same
-- for every passkey of the person, given out with the first one.
ALTER TABLE users ADD COLUMN webauthn_handle bytea UNIQUE
    CHECK (webauthn_handle IS NULL OR length(webauthn_handle) BETWEEN 16 AND 64);

CREATE TABLE passkeys (
    id                 bigserial PRIMARY KEY,
    user_id            bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    rp_id              text NOT NULL CHECK (rp_id <> '' AND length(rp_id) <= 253),
    credential_id      bytea NOT NULL CHECK (length(credential_id) BETWEEN 16 AND 1023),
    name               text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    public_key         bytea NOT NULL,
    attestation_type   text NOT NULL DEFAULT '' CHECK (length(attestation_type) <= 32),
    attestation_format text NOT NULL DEFAULT '' CHECK (length(attestation_format) <= 32),
    attestation        jsonb,
    extensions         jsonb,
    transports         text[] NOT NULL DEFAULT '{}',
    aaguid             bytea,
    attachment         text NOT NULL DEFAULT '' CHECK (length(attachment) <= 64),
    -- A signature counter the authenticator keeps (0: it keeps none); it
    -- must grow, so one going back is a cloned key and is refused.
    sign_count         bigint NOT NULL DEFAULT 0 CHECK (sign_count BETWEEN 0 AND 4294967295),
    clone_warning      boolean NOT NULL DEFAULT false,
    flags              smallint NOT NULL CHECK (flags BETWEEN 0 AND 255),
    user_verified      boolean NOT NULL DEFAULT false,
    backup_eligible    boolean NOT NULL DEFAULT false,
    -- Backed up (synced) now; only a backup-eligible passkey may be.
    backup_state       boolean NOT NULL DEFAULT false CHECK (backup_eligible OR NOT backup_state),
    created_at         timestamptz NOT NULL,
    last_used_at       timestamptz,
    UNIQUE (rp_id, credential_id)
);
CREATE INDEX passkeys_user_idx ON passkeys (user_id);

-- A WebAuthn ceremony between its two requests: the challenge the browser
-- signs and what the library must see again. Kept here, not in one process,
-- so any portal process finishes a ceremony another began; deleted as it is
-- finished, so a challenge answers once.
CREATE TABLE webauthn_ceremonies (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    kind         text NOT NULL CHECK (kind IN ('register', 'second_factor', 'sign_in')),
    -- Whose: the person adding a passkey, or the one who gave the password;
    -- NULL for a sign-in with a passkey alone (the passkey says who).
    user_id      bigint REFERENCES users ON DELETE CASCADE,
    session_data jsonb NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CHECK (expires_at > created_at),
    CHECK ((kind = 'sign_in') = (user_id IS NULL))
);
CREATE INDEX webauthn_ceremonies_expires_idx ON webauthn_ceremonies (expires_at);

-- How each session signed in, for the person's list of sessions.
ALTER TABLE user_sessions ADD COLUMN method text NOT NULL DEFAULT 'password'
    CHECK (method IN ('password', 'totp', 'recovery_code', 'invitation', 'email_link', 'password_passkey', 'passkey'));

-- +goose Down
ALTER TABLE user_sessions DROP COLUMN method;
DROP TABLE webauthn_ceremonies;
DROP TABLE passkeys;
ALTER TABLE users DROP COLUMN webauthn_handle;
