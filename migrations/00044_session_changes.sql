-- +goose Up
-- The portal keeps who a browser's session signs in between its page views
-- (web/session.go), so every process must hear when a session, its account
-- session, its person or their passkeys change. Row triggers, not statement
-- triggers: the statement that reads a session tries to note the visit on
-- every page view and mostly updates no row, which must not count as a change.
-- PostgreSQL sends one announcement per table and transaction however many
-- rows changed.
CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION announce_change();
CREATE TRIGGER users_truncated AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER user_sessions_changed AFTER INSERT OR UPDATE OR DELETE ON user_sessions
    FOR EACH ROW EXECUTE FUNCTION announce_change();
CREATE TRIGGER user_sessions_truncated AFTER TRUNCATE ON user_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER passkeys_changed AFTER INSERT OR UPDATE OR DELETE ON passkeys
    FOR EACH ROW EXECUTE FUNCTION announce_change();
CREATE TRIGGER passkeys_truncated AFTER TRUNCATE ON passkeys
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER sessions_changed AFTER INSERT OR UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION announce_change();
CREATE TRIGGER sessions_truncated AFTER TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION announce_change();

-- +goose Down
DROP TRIGGER users_changed ON users;
DROP TRIGGER users_truncated ON users;
DROP TRIGGER user_sessions_changed ON user_sessions;
DROP TRIGGER user_sessions_truncated ON user_sessions;
DROP TRIGGER passkeys_changed ON passkeys;
DROP TRIGGER passkeys_truncated ON passkeys;
DROP TRIGGER sessions_changed ON sessions;
DROP TRIGGER sessions_truncated ON sessions;
