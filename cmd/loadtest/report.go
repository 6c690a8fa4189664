package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The targets of docs/performance.md.
const (
	targetOpenP99    = 10 * time.Millisecond // every main page at -rate
	targetMixP99     = 25 * time.Millisecond // the mix at -mix-rate
	targetSlowdown   = 1.5                   // CPU per request, from the smallest scale to the largest
	targetFirstVisit = 100 << 10
)

// targetShares are the CPU shares the pages must reach at every scale: the
// ceiling's CPU per request over the page's (the median of the runs).
var targetShares = map[string]float64{"review queue": 0.20, "charity home": 0.15, "application page": 0.12, "admin dashboard": 0.12}

// sloped are the pages whose cost must not grow with the data: all but the
// login and sign-in, which read no data, and the year's export, whose
// answer is every application of the year, more of them at each scale.
var sloped = []string{"charity home", "review queue", "review queue, filtered", "review queue, searched", "review queue, 90% down",
	"application page", "outcomes page", "admin dashboard"}

// render writes the report in Markdown.
func render(runs []*scaleRun, o options, where string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Load test, %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "%s. Closed loop: %d clients, %v per page and per measurement of the ceiling, after %v of warm-up, %d runs. "+
		"Open loop: %v per rate, %d runs; %v per rate of the capacity search. The load generator is a process of its own; CPU is the portal's process and PostgreSQL's. "+
		"The portal's garbage collector: %s.\n\n",
		where, o.clients, o.duration, o.warmup, o.runs, o.rateDuration, o.runs, cmp.Or(o.capacityDuration, o.rateDuration), cmp.Or(o.gc, "Go's defaults"))
	for _, r := range runs {
		fmt.Fprintf(&b, "## %d applications (seeded in %v)\n\n", r.apps, r.seeded.Round(time.Second))
		b.WriteString("Load average (1, 5, 15 minutes) before and after each run of the closed loop:")
		for i, cr := range r.runs {
			fmt.Fprintf(&b, " run %d: %s → %s;", i+1, cr.loadBefore, cr.loadAfter)
		}
		b.WriteString("\n\n")
		b.WriteString("| page | clients | requests/s | p50 | p99 | errors | CPU per request | CPU share, run by run | CPU share | SQL statements | first visit | other hosts |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
		var ceilings []time.Duration
		for _, cr := range r.runs {
			for _, c := range cr.ceilings {
				ceilings = append(ceilings, c.cpuPerRequest())
			}
		}
		if r.ceiling != nil {
			c := r.ceiling.load()
			fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %d | %s (median of %d) | – | 1.00 | 1 | – | – |\n", r.ceiling.name, r.ceiling.clients, c.rps(),
				ms(c.P50), ms(c.P99), c.Errors, ms2(median(ceilings)), len(ceilings))
		}
		for _, p := range r.pages {
			statements, size := "–", "–"
			if p.statements >= 0 {
				statements = fmt.Sprint(p.statements)
			}
			if p.bytes > 0 {
				size = fmt.Sprintf("%.1f KB", float64(p.bytes)/1024)
			}
			hosts := "none"
			if len(p.external) > 0 {
				hosts = strings.Join(p.external, ", ")
			}
			if p.statements < 0 {
				hosts = "–"
			}
			var shares []string
			for _, sh := range p.shares {
				shares = append(shares, fmt.Sprintf("%.3f", sh))
			}
			m := p.load()
			fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %d | %s | %s | %.3f | %s | %s | %s |\n", p.name, p.clients, m.rps(),
				ms(m.P50), ms(m.P99), m.Errors, cpuShown(p), strings.Join(shares, ", "), p.share(), statements, size, hosts)
		}
		b.WriteString("\n")
		writeGCLever(&b, r, o)
		writeTop(&b, r)
		if ol := r.open; ol != nil {
			writeOpen(&b, r.apps, ol)
			writeTails(&b, r.apps, ol)
		}
	}
	if len(runs) > 1 {
		first, last := runs[0], runs[len(runs)-1]
		fmt.Fprintf(&b, "## From %d to %d applications\n\n", first.apps, last.apps)
		b.WriteString("| page | CPU per request | CPU share | requests/s (closed loop) | slowdown (CPU per request) |\n|---|---|---|---|---|\n")
		for i, p := range first.pages {
			var cpu, share, rps []string
			for _, r := range runs {
				cpu = append(cpu, ms2(r.pages[i].cpu()))
				share = append(share, fmt.Sprintf("%.3f", r.pages[i].share()))
				rps = append(rps, fmt.Sprintf("%.0f", r.pages[i].load().rps()))
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2fx |\n", p.name, strings.Join(cpu, " → "), strings.Join(share, " → "),
				strings.Join(rps, " → "), slowdown(p, last.pages[i]))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Targets\n\n")
	for _, line := range verdicts(runs, o) {
		fmt.Fprintf(&b, "- %s\n", line)
	}
	return b.String()
}

// writeGCLever writes, with -compare-gogc, each page's CPU per request at
// that GOGC over the run's own setting.
func writeGCLever(b *strings.Builder, r *scaleRun, o options) {
	if o.compareGOGC == 0 {
		return
	}
	fmt.Fprintf(b, "CPU per request with GOGC=%d over with %s, each measured right after the other (the lever's ratio):\n\n", o.compareGOGC, o.gc)
	b.WriteString("| page | run by run | median |\n|---|---|---|\n")
	for _, p := range r.pages {
		var v []string
		for _, x := range p.gcRatios {
			v = append(v, fmt.Sprintf("%.2f", x))
		}
		fmt.Fprintf(b, "| %s | %s | %.2fx |\n", p.name, strings.Join(v, ", "), median(append([]float64(nil), p.gcRatios...)))
	}
	b.WriteString("\n")
}

// writeOpen writes the open loop's figures at one scale.
func writeOpen(b *strings.Builder, apps int, ol *openLoop) {
	pages := fmt.Sprintf("each main page at %d requests/s, ", ol.rate)
	if ol.rate <= 0 {
		pages = "" // -rate 0: the mix alone
	}
	fmt.Fprintf(b, "Open loop at %d applications: %sthe mix at %d, run by run (p50 / p99, errors), "+
		"and each page's capacity, the rate at which its p99 passes %s (load average after each run: %s):\n\n",
		apps, pages, ol.mixRate, ms(capacityP99), strings.Join(ol.loads, "; "))
	b.WriteString("| page | at the offered rate, run by run | worst p99 | capacity | capacity search (rate: p99) |\n|---|---|---|---|---|\n")
	runs := func(ms []measurement) string {
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%s / %s, %d", ms2(m.P50), ms2(m.P99), m.Errors))
		}
		return strings.Join(out, "; ")
	}
	for _, p := range ol.pages {
		if len(p.runs) == 0 && len(p.steps) == 0 {
			continue // not sent alone (-rate 0)
		}
		var steps []string
		for _, s := range p.steps {
			steps = append(steps, fmt.Sprintf("%d: %s", s.rate, ms(s.m.P99)))
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", p.name, runs(p.runs), ms2(p.p99()), p.capacityShown(), strings.Join(steps, ", "))
	}
	var worst time.Duration
	for _, m := range ol.mix {
		worst = max(worst, m.P99)
	}
	fmt.Fprintf(b, "| mix at %d/s | %s | %s | – | – |\n\n", ol.mixRate, runs(ol.mix), ms2(worst))
}

// verdicts says of each target whether it is met, with the figures.
func verdicts(runs []*scaleRun, o options) []string {
	var out []string
	say := func(ok bool, format string, args ...any) {
		mark := "met"
		if !ok {
			mark = "NOT met"
		}
		out = append(out, fmt.Sprintf("**%s**: "+format, append([]any{mark}, args...)...))
	}
	for _, r := range runs {
		for _, p := range r.pages {
			want, ok := targetShares[p.name]
			if !ok || len(p.shares) == 0 {
				continue
			}
			lo := slices.Min(p.shares)
			say(p.share() >= want, "%s at %d applications has a CPU share of %.3f (median of %d runs, lowest %.3f; target at least %.2f)",
				p.name, r.apps, p.share(), len(p.shares), lo, want)
		}
		if ol := r.open; ol != nil {
			for _, p := range ol.pages {
				if len(p.runs) == 0 && ol.rate <= 0 {
					continue // only the mix was sent
				}
				say(len(p.runs) > 0 && p.p99() <= targetOpenP99, "%s at %d requests/s and %d applications: p99 %s at worst of %d runs (target at most %s)",
					p.name, ol.rate, r.apps, ms2(p.p99()), len(p.runs), ms(targetOpenP99))
			}
			var worst time.Duration
			for _, m := range ol.mix {
				worst = max(worst, m.P99)
			}
			say(len(ol.mix) > 0 && worst <= targetMixP99, "the mix at %d requests/s and %d applications: p99 %s at worst of %d runs (target at most %s)",
				ol.mixRate, r.apps, ms2(worst), len(ol.mix), ms(targetMixP99))
		}
	}
	if len(runs) > 1 {
		first, last := runs[0], runs[len(runs)-1]
		for i, p := range first.pages {
			if slices.Contains(sloped, p.name) {
				s := slowdown(p, last.pages[i])
				say(s < targetSlowdown, "%s costs %.2fx the CPU per request at %d applications as at %d (target under %.1fx)", p.name, s, last.apps, first.apps, targetSlowdown)
			}
		}
	}
	for i, p := range runs[0].pages {
		if p.statements < 0 {
			continue
		}
		counts := []string{}
		same := true
		for _, r := range runs {
			counts = append(counts, fmt.Sprint(r.pages[i].statements))
			same = same && r.pages[i].statements == p.statements
		}
		say(same, "%s sends %s SQL statements at each scale", p.name, strings.Join(counts, ", "))
	}
	for _, r := range runs {
		for _, p := range r.pages {
			if p.statements < 0 || strings.HasPrefix(p.name, "export") {
				continue
			}
			say(p.bytes < targetFirstVisit && len(p.external) == 0, "%s at %d applications: %.1f KB on a first visit, other hosts: %d",
				p.name, r.apps, float64(p.bytes)/1024, len(p.external))
		}
	}
	return out
}

// slowdown is how much more CPU a request cost at the larger scale (the
// medians of the runs): steadier than latency on a shared machine.
func slowdown(small, large *pageResult) float64 {
	return float64(large.cpu()) / float64(max(small.cpu(), 1))
}

// cpuShown is the median CPU time per request, and how much of it
// PostgreSQL's (in the first run).
func cpuShown(p *pageResult) string {
	m := p.load()
	if m.server == 0 {
		return ms2(p.cpu())
	}
	return fmt.Sprintf("%s (%d%% PostgreSQL)", ms2(p.cpu()), 100*m.server/(m.self+m.server))
}

func ms2(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// writeTop lists, for each page, the statements PostgreSQL spent most of
// its time on: their share, how often a request sent them, and what
// planning and running one cost, and how many pages one read from outside
// PostgreSQL's buffers.
func writeTop(b *strings.Builder, r *scaleRun) {
	if !slices.ContainsFunc(r.pages, func(p *pageResult) bool { return len(p.top) > 0 }) {
		return
	}
	fmt.Fprintf(b, "Where PostgreSQL's time went (pg_stat_statements), %d applications:\n\n", r.apps)
	b.WriteString("| page | share | per request | plan | run | pages read | statement |\n|---|---|---|---|---|---|---|\n")
	for _, p := range r.pages {
		for _, t := range p.top {
			fmt.Fprintf(b, "| %s | %.0f%% | %.2f | %.3f ms | %.3f ms | %.1f | `%s` |\n", p.name, 100*t.Share,
				float64(t.Calls)/float64(max(p.load().Sent, 1)), t.PlanMS, t.ExecMS, t.Read, strings.ReplaceAll(t.Query, "|", "\\|"))
		}
	}
	b.WriteString("\n")
}
