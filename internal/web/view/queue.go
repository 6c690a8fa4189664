package view

import "missiongrants/internal/application"

// QueueRow is one application of a queue, formatted for the page.
type QueueRow struct {
	ID                     int64
	Title                  string // "" while untitled
	Organization, Country  string
	Stage                  string // application.StageConcept or StageFull
	Dates                  string // "2027-01-04 – 2027-01-12", or ""
	Amount                 string
	Status                 string
	StatusLabel, Submitted string
	Reviews                string // "3 reviews · 3.40 · reviewed by you"
	Recused, VoteDue       bool   // VoteDue: a vote this board member has yet to vote in
	AssignedToMe           bool
	ToReview               string // the assigned reviewers yet to review, by name
}

// BoardQueue is the board's review queue (board_queue).
type BoardQueue struct {
	Page
	Filter   application.QueueInput
	Mine     string // "", "review", "vote" or "assigned"
	Statuses []Option
	Rounds   []Option
	Rows     []QueueRow
	Next     string // the next page's URL, "" on the last
	First    string // the first page's URL, when this is a later page
	MoreOpen bool   // a filter under "More filters" is set: show them
}

// MineOptions are the queue's "mine" choices, the chosen one checked.
func (q *BoardQueue) MineOptions() []Option {
	return []Option{
		{Value: "", Label: q.T("page.queue.mine_all"), Selected: q.Mine == ""},
		{Value: "review", Label: q.T("page.queue.needs_review"), Selected: q.Mine == "review"},
		{Value: "vote", Label: q.T("page.queue.needs_vote"), Selected: q.Mine == "vote"},
		{Value: "assigned", Label: q.T("page.queue.assigned_to_me"), Selected: q.Mine == "assigned"},
	}
}

// ScreeningQueue lists the applications waiting to be screened (screening_queue).
type ScreeningQueue struct {
	Page
	Queue *application.QueuePage
	Rows  []QueueRow
	Next  string // the next page's URL, "" on the last
}
