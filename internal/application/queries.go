package application

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

var queries = db.Load("application", sqlFiles)

var (
	sqlForUser             = queries.Get("application-for-user")
	sqlCreateOrganization  = queries.Get("application-create-organization")
	sqlCreateRound         = queries.Get("application-create-round")
	sqlInsert              = queries.Get("application-insert")
	sqlInsertConcept       = queries.Get("application-insert-concept")
	sqlSaveDraft           = queries.Get("application-save-draft")
	sqlDraftRevisionsPrune = queries.Get("application-draft-revisions-prune")
	sqlCurrentDraft        = queries.Get("application-current-draft")
	sqlRevision            = queries.Get("application-revision")
	sqlSubmitRound         = queries.Get("application-submit-round")
	sqlSubmitApplication   = queries.Get("application-submit-application")
	sqlVersionInsert       = queries.Get("application-version-insert")
	sqlSubmitUpdate        = queries.Get("application-submit-update")
	sqlMoveStatus          = queries.Get("application-move-status")
	sqlMoveUpdate          = queries.Get("application-move-update")
	sqlEvent               = queries.Get("application-event")
	sqlRecent              = queries.Get("application-recent")
	sqlCounts              = queries.Get("application-counts")
	sqlRounds              = queries.Get("application-rounds")
	sqlRoundNames          = queries.Get("application-round-names")
	sqlRound               = queries.Get("application-round")
	sqlRoundInsert         = queries.Get("application-round-insert")
	sqlRoundUpdate         = queries.Get("application-round-update")
	sqlSaveRoundHelp       = queries.Get("application-save-round-help")
	sqlConceptDraft        = queries.Get("concept-draft")
	sqlConceptVersions     = queries.Get("concept-versions")
	sqlConceptSave         = queries.Get("concept-save")
	sqlConceptSend         = queries.Get("concept-send")
	sqlConceptLast         = queries.Get("concept-last")
	sqlConceptInvite       = queries.Get("concept-invite")
	sqlRoundStagesSave     = queries.Get("round-stages-save")
	sqlDeleteDocuments     = queries.Get("application-delete-documents")
	sqlDelete              = queries.Get("application-delete")
	sqlScreeningInsert     = queries.Get("application-screening-insert")
	sqlScreenUpdate        = queries.Get("application-screen-update")
	sqlShow                = queries.Get("application-show")
	sqlInsertMessage       = queries.Get("application-insert-message")
	sqlNotifyAdmins        = queries.Get("application-notify-admins")
	sqlNotifyMembers       = queries.Get("application-notify-members")
	sqlGetIPA              = queries.Get("application-get-ipa")
	sqlGetMember           = queries.Get("application-get-member")
	sqlGetIPAForUpdate     = queries.Get("application-get-ipa-for-update")
	sqlGetMemberForUpdate  = queries.Get("application-get-member-for-update")
	sqlBeforeBoard         = queries.Get("application-before-board")
	sqlDeclinedRecipients  = queries.Get("application-declined-recipients")
	sqlBoardRecipients     = queries.Get("application-board-recipients")
)
