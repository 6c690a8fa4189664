package document_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"missiongrants/internal/account"
	"missiongrants/internal/document"
	"missiongrants/internal/refusal"
)

// After approval the application's documents stay as submitted, but its
// members add the trip's outcome documents until the IPA accepts the
// post-trip report; nobody else does, and no other status takes them.
func TestOutcomeDocumentsAfterApproval(t *testing.T) {
	t.Parallel()
	f := setup(t, diskStore(t))
	ctx := context.Background()
	budget := f.mustUpload(t, document.BudgetSheet, "presupuesto.pdf", pdfFile(300))
	f.submitVersion(t, f.app, 1)
	outcome := func() error {
		_, err := f.upload(t, document.OutcomeReport, "fotos.pdf", pdfFile(200))
		return err
	}
	open := func(want bool) {
		t.Helper()
		if ok, err := f.svc.OutcomesOpen(ctx, f.owner, f.app); err != nil || ok != want {
			t.Errorf("OutcomesOpen for the member = %v, %v; want %v", ok, err, want)
		}
	}
	refused := func(what string, err, sentinel error, key string) {
		t.Helper()
		var r *refusal.Error
		if !errors.Is(err, sentinel) || !errors.As(err, &r) || r.Key != key {
			t.Errorf("%s: %v, want %v saying %s", what, err, sentinel, key)
		}
	}

	// Submitted, in review, declined: frozen, outcome documents included.
	for _, status := range []string{"submitted", "in_review", "declined"} {
		f.setStatus(t, f.app, status)
		refused(status, outcome(), document.ErrNotEditable, "error.document.not_editable")
		open(false)
	}

	f.setStatus(t, f.app, "approved")
	open(true)
	d, err := f.upload(t, document.OutcomeReport, "fotos.pdf", pdfFile(200))
	if err != nil {
		t.Fatalf("the member's outcome document after approval: %v", err)
	}
	_, err = f.upload(t, document.BudgetSheet, "presupuesto-2.pdf", pdfFile(200))
	refused("another budget sheet after approval", err, document.ErrOutcomeOnly, "error.document.outcome_only")
	refused("deleting the submitted budget sheet", f.svc.Delete(ctx, act(f.owner), f.owner, budget.ID), document.ErrOutcomeOnly,
		"error.document.outcome_only")
	if frozen, err := f.svc.ForVersion(ctx, f.owner, f.app, 1); err != nil || len(frozen) != 1 || frozen[0].ID != budget.ID {
		t.Errorf("the submitted version's documents changed: %+v, %v", frozen, err)
	}
	if docs, _ := f.svc.List(ctx, f.admin, f.app); len(docs) != 2 || docs[1].ID != d.ID {
		t.Errorf("the IPA does not see the outcome document with the others: %+v", docs)
	}

	// Nobody but the charity's members adds one, nor is offered to.
	for name, c := range map[string]struct {
		user *account.User
		want error
	}{"another charity's member": {f.stranger, document.ErrNotFound}, "an admin": {f.admin, document.ErrForbidden},
		"a board member": {f.board, document.ErrForbidden}} {
		body := &countingReader{r: bytes.NewReader(pdfFile(100))}
		_, err := f.svc.Upload(ctx, act(c.user), c.user, document.UploadInput{OrganizationID: f.org, ApplicationID: &f.app,
			Kind: document.OutcomeReport, Filename: "x.pdf", Body: body})
		if !errors.Is(err, c.want) || body.n != 0 {
			t.Errorf("%s uploads: %v (read %d bytes), want %v", name, err, body.n, c.want)
		}
		if ok, err := f.svc.OutcomesOpen(ctx, c.user, f.app); ok || err != nil {
			t.Errorf("%s is offered the upload: %v, %v", name, ok, err)
		}
	}

	// Once the IPA accepts the report, its documents are final.
	if _, err := f.db.Exec(`INSERT INTO reports (application_id, status, patients, accepted_at, accepted_by, created_at, updated_at)
		VALUES ($1, 'accepted', 8, now(), $2, now(), now())`, f.app, f.admin.ID); err != nil {
		t.Fatal(err)
	}
	open(false)
	refused("after the report was accepted", outcome(), document.ErrReportAccepted, "error.document.report_accepted")
	refused("deleting an outcome document after the report was accepted", f.svc.Delete(ctx, act(f.owner), f.owner, d.ID),
		document.ErrReportAccepted, "error.document.report_accepted")
}
