package account

import (
	"embed"

	"missiongrants/internal/db"
)

// The package's fixed statements, in the .sql file named after the Go file
// that runs each; every name is looked up as the process starts, so one
// missing from the files stops it (db.Load).
//
//go:embed *.sql
var sqlFiles embed.FS

var queries = db.Load("account", sqlFiles)

var (
	sqlInvite              = queries.Get("account-invite")
	sqlAcceptInvitation    = queries.Get("account-accept-invitation")
	sqlSessionDeleteIdle   = queries.Get("account-session-delete-idle")
	sqlSessionInsert       = queries.Get("account-session-insert")
	sqlSessionUser         = queries.Get("account-session-user")
	sqlSessionFind         = queries.Get("account-session-find")
	sqlSessionCommit       = queries.Get("account-session-commit")
	sqlListSessions        = queries.Get("account-list-sessions")
	sqlRevokeSession       = queries.Get("account-revoke-session")
	sqlLogout              = queries.Get("account-logout")
	sqlDeleteSessions      = queries.Get("account-delete-sessions")
	sqlGetUser             = queries.Get("account-get-user")
	sqlLockUser            = queries.Get("account-lock-user")
	sqlLockUserByEmail     = queries.Get("account-lock-user-by-email")
	sqlListUsers           = queries.Get("account-list-users")
	sqlInsertUser          = queries.Get("account-insert-user")
	sqlSetPassword         = queries.Get("account-set-password")
	sqlConfirmEmail        = queries.Get("account-confirm-email")
	sqlSetEmail            = queries.Get("account-set-email")
	sqlSetProfile          = queries.Get("account-set-profile")
	sqlSetRoles            = queries.Get("account-set-roles")
	sqlSetActive           = queries.Get("account-set-active")
	sqlLockActiveAdmins    = queries.Get("account-lock-active-admins")
	sqlIssueToken          = queries.Get("account-issue-token")
	sqlConsumeToken        = queries.Get("account-consume-token")
	sqlRetireTokens        = queries.Get("account-retire-tokens")
	sqlTokenUser           = queries.Get("account-token-user")
	sqlBeginEnrolment      = queries.Get("account-begin-enrolment")
	sqlConfirmEnrolment    = queries.Get("account-confirm-enrolment")
	sqlCheckTotp           = queries.Get("account-check-totp")
	sqlClearTotp           = queries.Get("account-clear-totp")
	sqlClearRecoveryCodes  = queries.Get("account-clear-recovery-codes")
	sqlRecoveryCodesDelete = queries.Get("account-recovery-codes-delete")
	sqlRecoveryCodeInsert  = queries.Get("account-recovery-code-insert")
	sqlUseRecoveryCode     = queries.Get("account-use-recovery-code")
	sqlRecoveryCodesLeft   = queries.Get("account-recovery-codes-left")
	sqlPurgeTokens         = queries.Get("account-purge-tokens")
	sqlPurgeSessions       = queries.Get("account-purge-sessions")

	sqlPasskeysOfUser        = queries.Get("account-passkeys-of-user")
	sqlPasskeySetHandle      = queries.Get("account-passkey-set-handle")
	sqlCeremonyDeleteExpired = queries.Get("account-ceremony-delete-expired")
	sqlCeremonyInsert        = queries.Get("account-ceremony-insert")
	sqlCeremonyTake          = queries.Get("account-ceremony-take")
	sqlPasskeyInsert         = queries.Get("account-passkey-insert")
	sqlPasskeyOwner          = queries.Get("account-passkey-owner")
	sqlPasskeyCloneWarning   = queries.Get("account-passkey-clone-warning")
	sqlPasskeyUsed           = queries.Get("account-passkey-used")
	sqlPasskeyList           = queries.Get("account-passkey-list")
	sqlPasskeyName           = queries.Get("account-passkey-name")
	sqlPasskeyDelete         = queries.Get("account-passkey-delete")
	sqlPasskeysDeleteAll     = queries.Get("account-passkeys-delete-all")
)
