// Package assign proposes which board members review which applications
// (issue 22): a configurable number per application, never a member with a
// conflict on the charity, the work spread so that no member carries more
// than one review above another, counting what each already has open. It is
// a proposal: an admin changes it before it is saved.
package assign

import (
	"cmp"
	"slices"
)

// Member is a board member who may be assigned.
type Member struct {
	ID int64
	// Open is how many reviews the member already has open.
	Open int
	// Conflicts are the charities the member has a standing conflict with
	// (or a declared one on an application of theirs).
	Conflicts map[int64]bool
}

// Application is one to assign.
type Application struct {
	ID      int64
	Charity int64
}

// Proposal is, for each application, the members proposed, by ID.
type Proposal map[int64][]int64

// Propose assigns perApp members to each application: each in turn gets
// the least loaded members free to review it (ties by ID, so the same input
// gives the same proposal); then reviews move from the most loaded to the
// least loaded while that narrows the gap, which conflicts can leave wide.
// An application with fewer free members than perApp gets all of them.
func Propose(members []Member, apps []Application, perApp int) Proposal {
	load := make(map[int64]int, len(members))
	for _, m := range members {
		load[m.ID] = m.Open
	}
	free := func(m Member, a Application, p Proposal) bool {
		return !m.Conflicts[a.Charity] && !slices.Contains(p[a.ID], m.ID)
	}
	p := Proposal{}
	byLoad := slices.Clone(members)
	for _, a := range apps {
		slices.SortFunc(byLoad, func(x, y Member) int { return cmp.Or(cmp.Compare(load[x.ID], load[y.ID]), cmp.Compare(x.ID, y.ID)) })
		p[a.ID] = []int64{}
		for _, m := range byLoad {
			if len(p[a.ID]) == perApp {
				break
			}
			if free(m, a, p) {
				p[a.ID] = append(p[a.ID], m.ID)
				load[m.ID]++
			}
		}
	}
	rebalance(members, apps, p, load, free)
	return p
}

// rebalance moves one review at a time from a member with the most to one
// with the fewest who is free to take it, until no move narrows the gap.
func rebalance(members []Member, apps []Application, p Proposal, load map[int64]int, free func(Member, Application, Proposal) bool) {
	for moved := true; moved; {
		moved = false
		order := slices.Clone(members)
		slices.SortFunc(order, func(x, y Member) int { return cmp.Or(cmp.Compare(load[x.ID], load[y.ID]), cmp.Compare(x.ID, y.ID)) })
		for hi := len(order) - 1; hi > 0 && !moved; hi-- {
			for lo := 0; lo < hi && !moved; lo++ {
				from, to := order[hi], order[lo]
				if load[from.ID]-load[to.ID] < 2 {
					break
				}
				for _, a := range apps {
					if i := slices.Index(p[a.ID], from.ID); i >= 0 && free(to, a, p) {
						p[a.ID][i] = to.ID
						load[from.ID]--
						load[to.ID]++
						moved = true
						break
					}
				}
			}
		}
	}
}
