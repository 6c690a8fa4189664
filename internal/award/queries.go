package award

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

var queries = db.Load("award", sqlFiles)

var (
	sqlCreateApplication = queries.Get("award-create-application")
	sqlInsert            = queries.Get("award-insert")
	sqlInstalmentInsert  = queries.Get("award-instalment-insert")
	sqlForApplication    = queries.Get("award-for-application")
	sqlInstalments       = queries.Get("award-instalments")
	sqlPayments          = queries.Get("award-payments")
	sqlPayInstalment     = queries.Get("award-pay-instalment")
	sqlPaymentInsert     = queries.Get("award-payment-insert")
	sqlPaymentOf         = queries.Get("award-payment-of")
	sqlApprove           = queries.Get("award-approve")
	sqlCancel            = queries.Get("award-cancel")
	sqlDuplicate         = queries.Get("award-duplicate")
	sqlReversePayment    = queries.Get("award-reverse-payment")
	sqlReversalInsert    = queries.Get("award-reversal-insert")
	sqlReversalResent    = queries.Get("award-reversal-resent")
	sqlNotifyAdmins      = queries.Get("award-notify-admins")
	sqlNotifyPaid        = queries.Get("award-notify-paid")
	sqlRoundBudget       = queries.Get("award-round-budget")
	sqlRoundBudgets      = queries.Get("award-round-budgets")
	sqlYears             = queries.Get("award-years")
	sqlPaymentByID       = queries.Get("award-payment-by-id")
	sqlPaymentByKey      = queries.Get("award-payment-by-key")
)
