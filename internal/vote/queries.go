package vote

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

var queries = db.Load("vote", sqlFiles)

var (
	sqlApproveMinutes           = queries.Get("vote-approve-minutes")
	sqlMinutesApproval          = queries.Get("vote-minutes-approval")
	sqlMinutes                  = queries.Get("vote-minutes")
	sqlOpenVote                 = queries.Get("vote-open-vote")
	sqlCurrent                  = queries.Get("vote-current")
	sqlCastVote                 = queries.Get("vote-cast-vote")
	sqlBallotInsert             = queries.Get("vote-ballot-insert")
	sqlCloseVote                = queries.Get("vote-close-vote")
	sqlCloseUpdate              = queries.Get("vote-close-update")
	sqlCountRecused             = queries.Get("vote-count-recused")
	sqlCountEligible            = queries.Get("vote-count-eligible")
	sqlCountBallots             = queries.Get("vote-count-ballots")
	sqlCloseDue                 = queries.Get("vote-close-due")
	sqlNotifyBoardApplication   = queries.Get("vote-notify-board-application")
	sqlNotifyBoardRecipients    = queries.Get("vote-notify-board-recipients")
	sqlNotifyCharityApplication = queries.Get("vote-notify-charity-application")
	sqlNotifyCharityRecipients  = queries.Get("vote-notify-charity-recipients")
	sqlRemindDue                = queries.Get("vote-remind-due")
	sqlRemindedUpdate           = queries.Get("vote-reminded-update")
	sqlNotVotedApplication      = queries.Get("vote-not-voted-application")
	sqlNotVotedRecipients       = queries.Get("vote-not-voted-recipients")
)
