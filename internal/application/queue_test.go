package application_test

import (
	"errors"
	"missiongrants/internal/policy"
	"slices"
	"testing"
	"time"

	"missiongrants/internal/application"
	"missiongrants/internal/i18n"
)

func TestQueueInputFilter(t *testing.T) {
	at := time.Date(2026, 11, 25, 12, 30, 0, 123456000, time.UTC)
	cursor := application.Cursor{SubmittedAt: at, ID: 42}
	f, err := application.QueueInput{Status: "in_review", Round: "3", Country: "hn", TripFrom: "2027-03-01", TripTo: "2027-03-31",
		AmountMin: "5.000", AmountMax: "12,000.50", Lang: "es", NeedsMyReview: true, Search: "  Heart  ", Before: cursor.String()}.Filter()
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != policy.InReview || f.RoundID != 3 || f.Country != "HN" || f.TripFrom.Format("2006-01-02") != "2027-03-01" ||
		f.TripTo.Format("2006-01-02") != "2027-03-31" || f.AmountMin != 5000_00 || f.AmountMax != 12000_50 || !f.NeedsMyReview ||
		f.Search != "Heart" || f.Before == nil || !f.Before.SubmittedAt.Equal(at) || f.Before.ID != 42 {
		t.Fatalf("filter: %+v", f)
	}
	if f, err := (application.QueueInput{}).Filter(); err != nil || f.Status != "" || f.Before != nil || f.TripFrom != nil {
		t.Fatalf("the empty filter: %+v, %v", f, err)
	}
	for _, tc := range []struct {
		in     application.QueueInput
		fields []string
	}{
		{application.QueueInput{Status: "draft"}, []string{"status"}}, // drafts are never in the queue
		{application.QueueInput{Round: "x"}, []string{"round"}},
		{application.QueueInput{Country: "XX"}, []string{"country"}},
		{application.QueueInput{TripFrom: "2027-02-30", TripTo: "soon"}, []string{"trip_from", "trip_to"}},
		{application.QueueInput{TripFrom: "2027-03-02", TripTo: "2027-03-01"}, []string{"trip_to"}},
		{application.QueueInput{AmountMin: "-5", AmountMax: "12x"}, []string{"amount_max", "amount_min"}},
		{application.QueueInput{AmountMin: "500", AmountMax: "100"}, []string{"amount_max"}},
		{application.QueueInput{Before: "2026-11-25T12:30:00Z"}, []string{"before"}},
		{application.QueueInput{Before: "2026-11-25T12:30:00Z_0"}, []string{"before"}},
		{application.QueueInput{Search: "a\x00b"}, []string{"q"}},
		{application.QueueInput{Search: " ab "}, []string{"q"}}, // too short for the indexes
	} {
		_, err := tc.in.Filter()
		var fe i18n.FieldErrors
		if !errors.As(err, &fe) {
			t.Errorf("%+v: %v, want field errors", tc.in, err)
			continue
		}
		var got []string
		for k := range fe {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%+v: errors on %v, want %v", tc.in, got, tc.fields)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := application.Cursor{SubmittedAt: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.FixedZone("x", 3600)), ID: 7}
	back, err := application.ParseCursor(c.String())
	if err != nil || !back.SubmittedAt.Equal(c.SubmittedAt) || back.ID != 7 {
		t.Fatalf("%q read back as %+v, %v", c.String(), back, err)
	}
}
