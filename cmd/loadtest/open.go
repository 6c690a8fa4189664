package main

import (
	"cmp"
	"fmt"
	"log/slog"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The open loop: requests sent at a fixed rate, whether or not the earlier
// ones were answered, as people arrive. Its latency is what a person waits,
// not the queue of a closed loop's own clients (whose p50 is, by Little's
// law, clients × CPU per request / cores).

// capacityP99 is the p99 at which a page is said to be at its capacity.
const capacityP99 = 100 * time.Millisecond

// openLoop is the open-loop measurements at one scale.
type openLoop struct {
	rate, mixRate int
	pages         []*openPage
	mix           []measurement // one per run
	loads         []string      // the load average after each run
}

// openPage is one main page at the offered rate, run by run, and its
// capacity.
type openPage struct {
	name  string
	runs  []measurement
	steps []capacityStep
}

// capacityStep is one rate of the capacity search.
type capacityStep struct {
	rate int
	m    measurement
}

// passes reports whether an attack stayed within the capacity's p99 with
// (almost) every request answered.
func passes(m measurement) bool {
	return m.Requests > 0 && m.P99 <= capacityP99 && m.Errors*100 <= m.Sent
}

// capacity is the highest rate passed, and the lowest failed (0: none).
func (p *openPage) capacity() (passed, failed int) {
	for _, s := range p.steps {
		if passes(s.m) {
			passed = max(passed, s.rate)
		} else if failed == 0 || s.rate < failed {
			failed = s.rate
		}
	}
	return passed, failed
}

// p99 is the worst of the runs' p99 at the offered rate.
func (p *openPage) p99() time.Duration {
	var worst time.Duration
	for _, m := range p.runs {
		worst = max(worst, m.P99)
	}
	return worst
}

// measureOpen sends every main page at o.rate, o.runs times, then a mix of
// them at o.mixRate, then looks for each page's capacity: the rate doubled
// from o.capacityFrom until the p99 passes capacityP99 (or o.capacityTo is
// reached), and once more halfway between the last rate passed and the
// first failed.
func measureOpen(gen *attacker, server *dbServer, pages []page, o options, log *slog.Logger) (*openLoop, error) {
	ol := &openLoop{rate: o.rate, mixRate: o.mixRate}
	var mains []page
	for _, pg := range pages {
		if pg.main && o.wanted(pg.name) {
			mains = append(mains, pg)
			ol.pages = append(ol.pages, &openPage{name: pg.name})
		}
	}
	if len(mains) == 0 {
		return ol, nil
	}
	pgLog := server.logFile()
	// The report traces these runs' slow requests (writeTails), so the
	// machine is watched while they last; the capacity search's are not.
	send := func(targets []vegeta.Target, rate int) (measurement, error) {
		w := watch(pgLog, server.cpu, gen.cmd.Process.Pid)
		m, err := hammer(gen, server.cpu, attackSpec{Targets: targets, Rate: rate, Duration: o.rateDuration, Want: mains[0].want, SlowOver: slowOver})
		m.tail = w.end(m.attackResult, pgLog)
		return m, err
	}
	mix := mixTargets(mains)
	for i := range o.runs {
		for k, pg := range mains {
			if o.rate <= 0 {
				break // the mix only
			}
			m, err := send(pg.targets, o.rate)
			if err != nil {
				return nil, err
			}
			ol.pages[k].runs = append(ol.pages[k].runs, m)
			log.Info("open loop", "run", i+1, "page", pg.name, "rate", o.rate, "p99", m.P99.Round(10*time.Microsecond), "errors", m.Errors)
		}
		m, err := send(mix, o.mixRate)
		if err != nil {
			return nil, err
		}
		ol.mix = append(ol.mix, m)
		ol.loads = append(ol.loads, loadAverage())
		log.Info("open loop", "run", i+1, "page", "mix", "rate", o.mixRate, "p99", m.P99.Round(10*time.Microsecond), "errors", m.Errors)
	}
	if o.capacityFrom <= 0 {
		return ol, nil
	}
	for k, pg := range mains {
		op := ol.pages[k]
		step := func(rate int) (bool, error) {
			m, err := hammer(gen, server.cpu, attackSpec{Targets: pg.targets, Rate: rate, Duration: cmp.Or(o.capacityDuration, o.rateDuration), Want: mains[0].want})
			if err != nil {
				return false, err
			}
			op.steps = append(op.steps, capacityStep{rate: rate, m: m})
			log.Info("capacity", "page", pg.name, "rate", rate, "p99", m.P99.Round(10*time.Microsecond), "errors", m.Errors)
			return passes(m), nil
		}
		rate := o.capacityFrom
		for rate <= o.capacityTo {
			ok, err := step(rate)
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			rate *= 2
		}
		if passed, failed := op.capacity(); passed > 0 && failed > 0 {
			if _, err := step((passed + failed) / 2); err != nil {
				return nil, err
			}
		}
	}
	return ol, nil
}

// mixShare is how many of every twelve requests of the mix each main page
// gets: the queue and the application page most, as the board reads them.
var mixShare = map[string]int{"review queue": 3, "review queue, filtered": 1, "review queue, searched": 1,
	"application page": 4, "charity home": 2, "admin dashboard": 1}

// mixTargets interleaves the main pages' requests in the mix's shares.
func mixTargets(mains []page) []vegeta.Target {
	var out []vegeta.Target
	next := make([]int, len(mains))
	for range 40 {
		for k, pg := range mains {
			for range max(mixShare[pg.name], 1) {
				out = append(out, pg.targets[next[k]%len(pg.targets)])
				next[k]++
			}
		}
	}
	return out
}

// capacityShown is a page's capacity as the search found it.
func (p *openPage) capacityShown() string {
	passed, failed := p.capacity()
	switch {
	case len(p.steps) == 0:
		return "–"
	case passed == 0:
		return fmt.Sprintf("under %d/s", failed)
	case failed == 0:
		return fmt.Sprintf("over %d/s", passed)
	}
	return fmt.Sprintf("%d–%d/s", passed, failed)
}
