package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"missiongrants/internal/testenv"
)

// A board member who declared a conflict is refused by every route of the
// review (scoring, discussion, ballot, taking the declaration back) and
// nothing changes; the discussion and the others' reviews are hidden from
// them, and the charity never sees the discussion at any stage.
func TestRecusalThroughEveryRoute(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	people := s.seedDemo(t)
	ch := s.newCharity(t, "en", "Olga")
	app := ch.submitted("Heart mission to Tegucigalpa")
	id := appID(app)
	admin := s.loginAs(t, people[demoAdmin])
	sendToBoard(t, admin, app)

	const secret = "INTERNAL-ONLY: the ICU of the host hospital is smaller than stated"
	const reviewText = "REVIEW-ONLY: budget looks padded"
	const ballotText = "BALLOT-ONLY: fund it"
	charityNeverSees := func(when string) {
		t.Helper()
		page := ch.get(app)
		wantStatus(t, page, http.StatusOK)
		for _, hidden := range []string{secret, reviewText, ballotText, "Board discussion", "Conflict of interest", "Soy voluntario",
			"/board/applications/", "/admin/applications/", "Weighted total"} {
			if strings.Contains(page.Body.String(), hidden) {
				t.Errorf("%s, the charity's page shows %q", when, hidden)
			}
		}
	}

	// Bruno declares a conflict; Ada (admin and board member) declares none,
	// scores, and writes to the board.
	bruno := s.loginAs(t, people[demoBoard])
	ada := s.loginAs(t, people[demoAdminBoard])
	first := bruno.get(app)
	wantStatus(t, first, http.StatusOK)
	mustContain(t, first, "Do you have a conflict of interest with this application?", `name="conflict" value="no"`,
		"Declare whether you have a conflict of interest first")
	mustNotContain(t, first, `action="/board/applications/`+id+`/review"`, `name="comment_body"`)
	rec := bruno.post("/board/applications/"+id+"/conflict", url.Values{})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-conflict-error"`, "Choose one of the options.")
	wantRedirect(t, bruno.post("/board/applications/"+id+"/conflict",
		url.Values{"conflict": {"yes"}, "conflict_note": {"Soy voluntario de la organización."}}), app)

	wantRedirect(t, ada.post("/board/applications/"+id+"/conflict", url.Values{"conflict": {"no"}}), app)
	review := goodReview("4")
	review.Del("score_need")
	rec = ada.post("/board/applications/"+id+"/review", review)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `<a href="#f-score_need">Need: `) // the summary names the criterion left unscored
	review.Set("score_need", "4")
	review.Set("review_comment", reviewText)
	wantRedirect(t, ada.post("/board/applications/"+id+"/review", review), app)
	wantRedirect(t, ada.post("/board/applications/"+id+"/discussion", url.Values{"comment_body": {secret}}), app)
	mustContain(t, ada.get(app), secret, reviewText, "Weighted total:", "4.00", "Bruno Board", "Soy voluntario de la organización.")
	// A Spanish reader reads the score with a decimal comma.
	mustContain(t, admin.get(app), "· 4,00", s.text("es", "page.board.mean", "Count", 1, "Mean", "4,00"))
	charityNeverSees("during the review")

	// The admin opens the vote; Ada votes.
	openVote(t, admin, app)
	voteID := voteIDOn(t, ada.get(app))
	wantRedirect(t, ada.post("/board/applications/"+id+"/ballot", url.Values{"vote": {voteID}, "choice": {"approve"}, "ballot_comment": {ballotText}}), app)
	charityNeverSees("during the vote")

	// Bruno, recused, sees why and nothing of the others' work.
	page := bruno.get(app)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "You declared a conflict of interest on this application, so you take no part in its review, discussion or vote.",
		"Soy voluntario de la organización.", "Board vote")
	mustNotContain(t, page, secret, reviewText, ballotText, `name="comment_body"`, `name="choice"`, `name="score_need"`)

	// His board packet holds the charity's application and nothing of the
	// board's work on it; Ada's has her review and the discussion.
	packet := func(c *client) string {
		rec := c.get("/board/packet.pdf")
		wantStatus(t, rec, http.StatusOK)
		return strings.Join(strings.Fields(testenv.PDFText(t, rec.Body.Bytes())), " ")
	}
	brunoPacket, adaPacket := packet(bruno), packet(ada)
	for _, p := range []string{brunoPacket, adaPacket} {
		if !strings.Contains(p, "Heart mission to Tegucigalpa") {
			t.Errorf("a packet lacks the application before the board")
		}
	}
	if strings.Contains(brunoPacket, "REVIEW-ONLY") || strings.Contains(brunoPacket, "INTERNAL-ONLY") || !strings.Contains(brunoPacket, s.cat.T("en", "paper.packet.recused")) {
		t.Error("the recused member's packet holds the board's reviews or discussion")
	}
	if !strings.Contains(adaPacket, "REVIEW-ONLY") || !strings.Contains(adaPacket, "INTERNAL-ONLY") {
		t.Error("Ada's packet lacks her review or the discussion")
	}
	wantStatus(t, ch.get("/board/packet.pdf"), http.StatusForbidden)
	// A chosen set: none of those before the board is chosen, so none is in it.
	if none := ada.get("/board/packet.pdf?app=999999"); strings.Contains(strings.Join(strings.Fields(testenv.PDFText(t, none.Body.Bytes())), " "), "Heart mission to Tegucigalpa") {
		t.Error("a packet of a chosen set holds an application not chosen")
	}

	// Every route refuses him, with the reason, and changes nothing.
	recused := "A conflict of interest is recorded for you on this application, so you take no part in its review, its vote or its money."
	for _, try := range []struct {
		path   string
		form   url.Values
		status int
		want   string
	}{
		{"/board/applications/" + id + "/review", goodReview("5"), http.StatusForbidden, recused},
		{"/board/applications/" + id + "/discussion", url.Values{"comment_body": {"Let me weigh in anyway."}}, http.StatusForbidden, recused},
		{"/board/applications/" + id + "/ballot", url.Values{"vote": {voteID}, "choice": {"decline"}}, http.StatusForbidden, recused},
		{"/board/applications/" + id + "/conflict", url.Values{"conflict": {"no"}}, http.StatusConflict, "You already declared a conflict on this application."},
	} {
		rec := bruno.post(try.path, try.form)
		wantStatus(t, rec, try.status)
		mustContain(t, rec, try.want)
		mustNotContain(t, rec, secret, reviewText, ballotText)
	}
	brunoID := s.userID(t, demoBoard)
	for table, query := range map[string]string{
		"reviews":        `SELECT count(*) FROM reviews WHERE user_id = $1`,
		"board_comments": `SELECT count(*) FROM board_comments WHERE author_id = $1`,
		"ballots":        `SELECT count(*) FROM ballots WHERE user_id = $1`,
		"conflicts":      `SELECT count(*) FROM conflicts WHERE user_id = $1 AND NOT has_conflict`,
	} {
		var n int
		if err := s.db.Get(&n, query, brunoID); err != nil || n != 0 {
			t.Errorf("%s: %d rows by the recused member (%v)", table, n, err)
		}
	}

	// The charity cannot reach the board's routes either.
	for _, path := range []string{"/board/applications/" + id + "/discussion", "/board/applications/" + id + "/review",
		"/admin/applications/" + id + "/vote/close"} {
		wantStatus(t, ch.post(path, url.Values{"comment_body": {"hello"}, "vote": {voteID}}), http.StatusForbidden)
	}
	wantStatus(t, ch.get("/board/applications"), http.StatusForbidden)

	// An admin records a conflict for Ada too: her ballot goes, she is recused.
	rec = admin.post("/admin/applications/"+id+"/conflicts", url.Values{"member": {""}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec, `id="f-member-error"`, `id="f-member_conflict-error"`)
	adaID := s.userID(t, demoAdminBoard)
	wantRedirect(t, admin.post("/admin/applications/"+id+"/conflicts", url.Values{
		"member": {itoa(adaID)}, "member_conflict": {"yes"}, "member_note": {"Married to the charity's treasurer."}}), app)
	var ballots int
	if err := s.db.Get(&ballots, `SELECT count(*) FROM ballots`); err != nil || ballots != 0 {
		t.Errorf("%d ballots left after Ada's recusal (%v)", ballots, err)
	}
	rec = ada.post("/board/applications/"+id+"/ballot", url.Values{"vote": {voteID}, "choice": {"approve"}})
	wantStatus(t, rec, http.StatusForbidden)
	mustContain(t, rec, recused)
	// Being an admin changes nothing: she neither reads the discussion and
	// the reviews nor adds to them, and cannot close the vote.
	page = ada.get(app)
	mustNotContain(t, page, `name="comment_body"`, secret, reviewText, `/vote/close"`)
	rec = ada.post("/board/applications/"+id+"/discussion", url.Values{"comment_body": {"As treasurer's spouse: fund it."}})
	wantStatus(t, rec, http.StatusForbidden)
	mustContain(t, rec, recused)
	wantStatus(t, ada.post("/admin/applications/"+id+"/vote/close", url.Values{"vote": {voteID}}), http.StatusForbidden)
	var comments int
	if err := s.db.Get(&comments, `SELECT count(*) FROM board_comments WHERE author_id = $1`, adaID); err != nil || comments != 1 {
		t.Errorf("Ada has %d comments after her recusal, want the 1 from before (%v)", comments, err)
	}

	// Closed early without a quorum: no decision, back to review; still
	// nothing internal for the charity.
	wantRedirect(t, admin.post("/admin/applications/"+id+"/vote/close", url.Values{"vote": {voteID}}), app)
	if got := s.status(t, app); got != "in_review" {
		t.Errorf("after a vote without quorum the application is %s", got)
	}
	var tally struct{ Eligible, Cast int } // as the vote recorded it
	var raw []byte
	if err := s.db.Get(&raw, `SELECT result FROM votes WHERE id = $1`, voteID); err != nil || json.Unmarshal(raw, &tally) != nil || tally.Cast != 0 {
		t.Fatalf("the vote's result %s (%v)", raw, err)
	}
	mustContain(t, admin.get(app), s.text("es", "page.board.quorum_missed", "Cast", 0, "Eligible", tally.Eligible, "Count", tally.Eligible),
		s.text("es", "page.board.recused_list"), "Ada Admin", "Bruno Board")
	charityNeverSees("after the vote")
}
