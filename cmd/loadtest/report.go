package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The targets of docs/performance.md.
const (
	targetShare      = 0.5                   // of the ceiling's throughput
	targetP99        = 50 * time.Millisecond // at the clients given, with targetP99Apps applications
	targetP99Apps    = 10_000
	targetSlowdown   = 2.0 // from the smallest scale to the largest
	targetFirstVisit = 100 << 10
)

// targeted are the pages the throughput, latency and scale targets are for.
var targeted = []string{"review queue", "review queue, filtered", "review queue, searched", "review queue, 90% down", "application page"}

// render writes the report in Markdown.
func render(runs []*scaleRun, o options, where string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Load test, %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "%s. %d clients, %v per page after %v of warm-up.\n\n", where, o.clients, o.duration, o.warmup)
	for _, r := range runs {
		fmt.Fprintf(&b, "## %d applications (seeded in %v)\n\n", r.apps, r.seeded.Round(time.Second))
		b.WriteString("| page | clients | requests/s | share of ceiling | p50 | p99 | errors | CPU per request | share of ceiling (CPU) | SQL statements | first visit | other hosts |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
		for _, p := range append([]*pageResult{r.ceiling}, r.pages...) {
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
			fmt.Fprintf(&b, "| %s | %d | %.0f | %.2f | %s | %s | %d | %s | %.2f | %s | %s | %s |\n", p.name, p.clients, p.load.rps(),
				p.load.rps()/r.ceiling.load.rps(), ms(p.load.p50), ms(p.load.p99), p.load.errors, cpuShown(p.load),
				cpuShare(r.ceiling, p), statements, size, hosts)
		}
		b.WriteString("\n")
		writeTop(&b, r)
	}
	if len(runs) > 1 {
		first, last := runs[0], runs[len(runs)-1]
		fmt.Fprintf(&b, "## From %d to %d applications\n\n", first.apps, last.apps)
		b.WriteString("| page | requests/s | p50 | p99 | slowdown (p50) |\n|---|---|---|---|---|\n")
		for i, p := range first.pages {
			var rps, p50, p99 []string
			for _, r := range runs {
				rps = append(rps, fmt.Sprintf("%.0f", r.pages[i].load.rps()))
				p50 = append(p50, ms(r.pages[i].load.p50))
				p99 = append(p99, ms(r.pages[i].load.p99))
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2fx |\n", p.name, strings.Join(rps, " → "), strings.Join(p50, " → "),
				strings.Join(p99, " → "), slowdown(p, last.pages[i]))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Targets\n\n")
	for _, line := range verdicts(runs, o) {
		fmt.Fprintf(&b, "- %s\n", line)
	}
	return b.String()
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
			if !slices.Contains(targeted, p.name) {
				continue
			}
			share := p.load.rps() / r.ceiling.load.rps()
			say(share >= targetShare, "%s at %d applications runs at %.2f of the ceiling's throughput, %.2f by CPU per request (target %.1f)",
				p.name, r.apps, share, cpuShare(r.ceiling, p), targetShare)
			if r.apps == targetP99Apps {
				say(p.load.p99 < targetP99, "%s p99 at %d clients and %d applications is %s (target under %s)", p.name, p.clients, r.apps, ms(p.load.p99), ms(targetP99))
			}
		}
	}
	if len(runs) > 1 {
		first, last := runs[0], runs[len(runs)-1]
		for i, p := range first.pages {
			if slices.Contains(targeted, p.name) {
				s := slowdown(p, last.pages[i])
				say(s < targetSlowdown, "%s slows by %.2fx (p50) from %d to %d applications (target under %.0fx)", p.name, s, first.apps, last.apps, targetSlowdown)
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

// slowdown is how much longer a request took at the larger scale (p50).
func slowdown(small, large *pageResult) float64 {
	return float64(large.load.p50) / float64(small.load.p50)
}

// cpuShown is the CPU time per request, and how much of it PostgreSQL's.
func cpuShown(m measurement) string {
	if m.server == 0 {
		return ms(m.cpuPerRequest())
	}
	return fmt.Sprintf("%s (%d%% PostgreSQL)", ms2(m.cpuPerRequest()), 100*m.server/(m.self+m.server))
}

// cpuShare is the page's throughput as a share of the ceiling's were both
// limited only by CPU: the ceiling's CPU per request over the page's.
func cpuShare(ceiling, p *pageResult) float64 {
	return float64(ceiling.load.cpuPerRequest()) / float64(p.load.cpuPerRequest())
}

func ms2(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// writeTop lists, for each page, the statements PostgreSQL spent most of
// its time on: their share, how often a request sent them, and what
// planning and running one cost.
func writeTop(b *strings.Builder, r *scaleRun) {
	if !slices.ContainsFunc(r.pages, func(p *pageResult) bool { return len(p.top) > 0 }) {
		return
	}
	fmt.Fprintf(b, "Where PostgreSQL's time went (pg_stat_statements), %d applications:\n\n", r.apps)
	b.WriteString("| page | share | per request | plan | run | statement |\n|---|---|---|---|---|---|\n")
	for _, p := range r.pages {
		for _, t := range p.top {
			fmt.Fprintf(b, "| %s | %.0f%% | %.2f | %.3f ms | %.3f ms | `%s` |\n", p.name, 100*t.Share,
				float64(t.Calls)/float64(max(p.load.requests, 1)), t.PlanMS, t.ExecMS, strings.ReplaceAll(t.Query, "|", "\\|"))
		}
	}
	b.WriteString("\n")
}
