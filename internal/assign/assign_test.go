package assign

import (
	"math/rand/v2"
	"testing"
)

// check: every application has perApp distinct members (or every free one),
// none with a conflict on its charity, and no member's load (open reviews
// included) more than one above another's.
func check(t *testing.T, members []Member, apps []Application, perApp int, p Proposal) {
	t.Helper()
	load := map[int64]int{}
	for _, m := range members {
		load[m.ID] = m.Open
	}
	byID := map[int64]Member{}
	for _, m := range members {
		byID[m.ID] = m
	}
	for _, a := range apps {
		freeCount := 0
		for _, m := range members {
			if !m.Conflicts[a.Charity] {
				freeCount++
			}
		}
		got := p[a.ID]
		if want := min(perApp, freeCount); len(got) != want {
			t.Fatalf("application %d has %d reviewers, want %d", a.ID, len(got), want)
		}
		seen := map[int64]bool{}
		for _, id := range got {
			if seen[id] {
				t.Fatalf("application %d has member %d twice", a.ID, id)
			}
			seen[id] = true
			if byID[id].Conflicts[a.Charity] {
				t.Fatalf("member %d, in conflict with charity %d, is proposed for application %d", id, a.Charity, a.ID)
			}
			load[id]++
		}
	}
	lo, hi := int(^uint(0)>>1), 0
	for _, n := range load {
		lo, hi = min(lo, n), max(hi, n)
	}
	if hi-lo > 1 {
		t.Fatalf("loads from %d to %d: %v", lo, hi, load)
	}
}

// Twelve members, two hundred applications from forty charities, three
// reviewers each, some standing conflicts: balanced, and never conflicted.
func TestProposalIsBalancedAndNeverConflicted(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for round := range 20 {
		var members []Member
		for i := range 12 {
			m := Member{ID: int64(i + 1), Conflicts: map[int64]bool{}}
			for range r.IntN(3) {
				m.Conflicts[int64(r.IntN(40))] = true
			}
			members = append(members, m)
		}
		var apps []Application
		for i := range 200 {
			apps = append(apps, Application{ID: int64(i + 1), Charity: int64(r.IntN(40))})
		}
		p := Propose(members, apps, 3)
		check(t, members, apps, 3, p)
		if round == 0 {
			if again := Propose(members, apps, 3); len(again) != len(p) || again[17][0] != p[17][0] {
				t.Fatal("the same input gives another proposal")
			}
		}
	}
}

// Open reviews count: the member who already carries five gets fewer.
func TestOpenLoadCounts(t *testing.T) {
	members := []Member{{ID: 1, Open: 5}, {ID: 2}, {ID: 3}, {ID: 4}}
	var apps []Application
	for i := range 6 {
		apps = append(apps, Application{ID: int64(i + 1), Charity: 1})
	}
	p := Propose(members, apps, 2)
	check(t, members, apps, 2, p)
	n := 0
	for _, ids := range p {
		for _, id := range ids {
			if id == 1 {
				n++
			}
		}
	}
	if n > 0 {
		t.Errorf("the member with five open reviews got %d more while others had fewer", n)
	}
}

// A charity most members are in conflict with gets those who are free, and
// the rebalancing still holds the spread.
func TestConflictsNarrowTheChoice(t *testing.T) {
	members := []Member{{ID: 1}, {ID: 2, Conflicts: map[int64]bool{9: true}}, {ID: 3, Conflicts: map[int64]bool{9: true}}, {ID: 4}}
	apps := []Application{{ID: 1, Charity: 9}, {ID: 2, Charity: 9}, {ID: 3, Charity: 1}, {ID: 4, Charity: 2}, {ID: 5, Charity: 3}}
	p := Propose(members, apps, 2)
	check(t, members, apps, 2, p)
}
