package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// An open loop's p99 over its target in one run of three is either a
// burst of slow requests or a slow machine throughout. For each attack of
// the open loop the tool keeps the requests slower than slowOver with when
// they were sent, and samples the machine meanwhile, so the report can say
// which it was, when, and what else happened then: the CPU the machine's
// host took (steal) or spent waiting on the disk, the portal's garbage
// collections and how long its goroutines waited for a CPU, the requests
// the portal itself took long over (served), and PostgreSQL's slow
// statements, checkpoints and autovacuum (its log).

// slowOver is the latency over which a request of the open loop counts as
// slow: the main pages' p99 target.
const slowOver = targetOpenP99

// maxSlow bounds the slow requests an attack returns (the first ones).
const maxSlow = 5000

// burstGap is how far apart two slow requests may be sent and still be one
// burst.
const burstGap = 250 * time.Millisecond

// pgSlowStatement is how long a statement runs before PostgreSQL logs it
// (log_min_duration_statement in statementSettings).
const pgSlowStatement = 20 * time.Millisecond

// shownBursts is how many bursts of each attack the report shows, the
// largest.
const shownBursts = 3

// sampleEvery is how often the machine is sampled while an attack runs.
const sampleEvery = 100 * time.Millisecond

// slowRequest is a request that took longer than slowOver.
type slowRequest struct {
	At      time.Time // sent
	Latency time.Duration
}

// burst is slow requests sent within burstGap of each other.
type burst struct {
	from, to time.Time // the first sent, the last answered
	requests int
	worst    time.Duration
}

// bursts groups the slow requests, most requests first.
func bursts(slow []slowRequest) []burst {
	slow = slices.Clone(slow)
	slices.SortFunc(slow, func(a, b slowRequest) int { return a.At.Compare(b.At) })
	var out []burst
	for _, s := range slow {
		end := s.At.Add(s.Latency)
		if n := len(out); n > 0 && s.At.Sub(out[n-1].to) <= burstGap {
			b := &out[n-1]
			b.requests++
			b.worst = max(b.worst, s.Latency)
			if end.After(b.to) {
				b.to = end
			}
			continue
		}
		out = append(out, burst{from: s.At, to: end, requests: 1, worst: s.Latency})
	}
	slices.SortStableFunc(out, func(a, b burst) int { return cmp.Compare(b.requests, a.requests) })
	return out
}

// machineSample is the machine's CPU counters (in ticks, all cores), this
// process's and PostgreSQL's CPU time, and this process's garbage
// collections so far.
type machineSample struct {
	at                         time.Time
	busy, steal, iowait, total int64
	cpu                        sample // this process and PostgreSQL's, as the closed loop reads them
	generator                  int64  // the load generator's ticks
	gcs                        uint64
	waits                      []uint64 // the portal's goroutines' waits for a CPU, by schedBuckets
	cpuStall, ioStall          int64    // µs some task waited for a CPU, for the disk (/proc/pressure)
}

// usage is the shares of the machine's CPU between two samples: busy
// (every process), stolen by the host, waiting on the disk, and this
// process's (the portal's); and the garbage collections in between.
type usage struct {
	busy, steal, iowait, self float64
	server, generator         float64
	gcs                       uint64
	wait                      time.Duration // the 99th percentile of the portal's goroutines' waits for a CPU
	cpuStall, ioStall         float64       // the share of the time some task waited for a CPU, for the disk
	late                      time.Duration // how late the sampler's tick came at worst: this process did not run
}

func (u usage) String() string {
	return fmt.Sprintf("busy %.0f%% (portal %.0f%%, PostgreSQL %.0f%%, generator %.0f%%), stolen %.0f%%, disk wait %.0f%%; "+
		"%d GCs, p99 wait for a CPU %s; some task waiting for a CPU %.0f%% of the time, for the disk %.0f%%; sampler late by up to %s",
		100*u.busy, 100*u.self, 100*u.server, 100*u.generator, 100*u.steal, 100*u.iowait, u.gcs, ms(u.wait),
		100*u.cpuStall, 100*u.ioStall, ms(u.late))
}

// between is the usage from sample a to sample b; samples, all those
// from a to b, say how late the sampler came.
func between(samples []machineSample) usage {
	a, b := samples[0], samples[len(samples)-1]
	total := float64(max(b.total-a.total, 1))
	elapsed := float64(max(b.at.Sub(a.at).Microseconds(), 1))
	self, server := b.cpu.since(a.cpu)
	u := usage{busy: float64(b.busy-a.busy) / total, steal: float64(b.steal-a.steal) / total,
		iowait: float64(b.iowait-a.iowait) / total, gcs: b.gcs - a.gcs,
		self: float64(self) / float64(clockTick) / total, server: float64(server) / float64(clockTick) / total,
		generator: float64(b.generator-a.generator) / total,
		cpuStall:  float64(b.cpuStall-a.cpuStall) / elapsed, ioStall: float64(b.ioStall-a.ioStall) / elapsed}
	for i := 1; i < len(samples); i++ {
		u.late = max(u.late, samples[i].at.Sub(samples[i-1].at)-sampleEvery)
	}
	if len(a.waits) == len(b.waits) && len(a.waits) > 0 {
		var n uint64
		for i := range b.waits {
			n += b.waits[i] - a.waits[i]
		}
		var seen uint64
		for i := range b.waits {
			seen += b.waits[i] - a.waits[i]
			if n > 0 && seen*100 >= n*99 {
				// The bucket's upper bound (the last is open-ended).
				u.wait = time.Duration(schedBuckets[min(i+1, len(schedBuckets)-1)] * float64(time.Second))
				break
			}
		}
	}
	return u
}

var (
	runtimeMetrics = []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/sched/latencies:seconds"}}
	schedBuckets   []float64
)

// sampleMachine reads the counters; generator is the load generator's
// process.
func sampleMachine(cpu cpuMeter, generator int) machineSample {
	s := machineSample{at: time.Now(), cpu: cpu.now()}
	_, s.generator, _ = procStat(generator)
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		// cpu  user nice system idle iowait irq softirq steal ...
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		var v [8]int64
		for i := range v {
			if i+1 < len(f) {
				v[i], _ = strconv.ParseInt(f[i+1], 10, 64)
			}
		}
		s.busy = v[0] + v[1] + v[2] + v[5] + v[6]
		s.iowait, s.steal = v[4], v[7]
		s.total = s.busy + v[3] + s.iowait + s.steal
	}
	s.cpuStall, s.ioStall = pressure("cpu"), pressure("io")
	metrics.Read(runtimeMetrics)
	if runtimeMetrics[0].Value.Kind() == metrics.KindUint64 {
		s.gcs = runtimeMetrics[0].Value.Uint64()
	}
	if runtimeMetrics[1].Value.Kind() == metrics.KindFloat64Histogram {
		h := runtimeMetrics[1].Value.Float64Histogram()
		schedBuckets = h.Buckets // the same at every read
		s.waits = slices.Clone(h.Counts)
	}
	return s
}

// pressure is the µs some task has waited for resource (cpu, io), as
// /proc/pressure counts them (0 where the kernel does not).
func pressure(resource string) int64 {
	b, err := os.ReadFile("/proc/pressure/" + resource)
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n") // some avg10=… avg60=… avg300=… total=…
	_, total, _ := strings.Cut(line, "total=")
	n, _ := strconv.ParseInt(strings.TrimSpace(total), 10, 64)
	return n
}

// served keeps the requests the portal itself took longer than slowOver
// over (from its handler's start to its end), to set against those the
// generator waited for.
var served struct {
	mu   sync.Mutex
	slow []slowRequest
}

// timed is h, its slow requests kept in served.
func timed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		if d := time.Since(start); d > slowOver {
			served.mu.Lock()
			if len(served.slow) < maxSlow {
				served.slow = append(served.slow, slowRequest{At: start, Latency: d})
			}
			served.mu.Unlock()
		}
	})
}

// watcher samples the machine every sampleEvery until stopped.
type watcher struct {
	cpu       cpuMeter
	generator int
	stop      chan struct{}
	wg        sync.WaitGroup
	samples   []machineSample
	logFrom   int64 // where PostgreSQL's log stood when the watch began
}

func watch(pgLog string, cpu cpuMeter, generator int) *watcher {
	served.mu.Lock()
	served.slow = served.slow[:0]
	served.mu.Unlock()
	w := &watcher{cpu: cpu, generator: generator, stop: make(chan struct{}), logFrom: fileSize(pgLog)}
	w.samples = []machineSample{w.sample()}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				w.samples = append(w.samples, w.sample())
				return
			case <-t.C:
				w.samples = append(w.samples, w.sample())
			}
		}
	}()
	return w
}

func (w *watcher) sample() machineSample { return sampleMachine(w.cpu, w.generator) }

// tail is what an open-loop attack's slow requests were, and what the
// machine did meanwhile.
type tail struct {
	start    time.Time
	slow     int     // requests over slowOver (the first maxSlow kept)
	bursts   []burst // the shownBursts largest
	during   []usage // the machine while each burst lasted (the samples around it)
	served   []int   // of each burst's time, the requests the portal itself took long over
	overall  usage
	pgEvents []pgEvent
}

// end stops the watch and sets the attack's slow requests against it.
func (w *watcher) end(r attackResult, pgLog string) tail {
	close(w.stop)
	w.wg.Wait()
	served.mu.Lock()
	servedSlow := slices.Clone(served.slow)
	served.mu.Unlock()
	t := tail{start: r.Start, slow: r.SlowCount, bursts: bursts(r.Slow)}
	t.bursts = t.bursts[:min(shownBursts, len(t.bursts))]
	t.overall = between(w.samples)
	for _, b := range t.bursts {
		i := max(0, slices.IndexFunc(w.samples, func(s machineSample) bool { return !s.at.Before(b.from) })-1)
		j := slices.IndexFunc(w.samples, func(s machineSample) bool { return !s.at.Before(b.to) })
		if j < 0 {
			j = len(w.samples) - 1
		}
		t.during = append(t.during, between(w.samples[i:max(j, i)+1]))
		n := 0
		for _, sr := range servedSlow {
			if sr.At.Before(b.to) && sr.At.Add(sr.Latency).After(b.from) {
				n++
			}
		}
		t.served = append(t.served, n)
	}
	t.pgEvents = readPGEvents(pgLog, w.logFrom)
	return t
}

func fileSize(path string) int64 {
	if path == "" {
		return 0
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// pgEvent is one of PostgreSQL's slow statements, waits for a lock,
// checkpoints or autovacuum's runs, as its log tells it.
type pgEvent struct {
	at   time.Time
	what string
}

// pgLogTime is log_line_prefix's %m.
const pgLogTime = "2006-01-02 15:04:05.000 MST"

// readPGEvents reads the slow statements, waits for locks, checkpoints and
// autovacuum's work logged from offset on; an entry's continuation lines add how long
// it took.
func readPGEvents(path string, offset int64) []pgEvent {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil
	}
	var out []pgEvent
	in := false // in an entry kept
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " ") {
			if _, elapsed, ok := strings.Cut(line, "elapsed: "); in && ok {
				out[len(out)-1].what += ", elapsed " + strings.TrimSpace(elapsed)
			}
			continue
		}
		in = false
		if len(line) < len(pgLogTime) {
			continue
		}
		at, err := time.Parse(pgLogTime, line[:len(pgLogTime)])
		_, msg, ok := strings.Cut(line, "LOG:  ")
		if err != nil || !ok || !(strings.HasPrefix(msg, "checkpoint") || strings.HasPrefix(msg, "automatic") || strings.HasPrefix(msg, "duration") ||
			strings.HasPrefix(msg, "process")) {
			continue
		}
		if len(msg) > 140 {
			msg = msg[:140] + "…"
		}
		out = append(out, pgEvent{at: at, what: msg})
		in = true
	}
	return out
}

// writeTails writes where each open-loop attack's slow requests came from
// its start, and what the machine did then.
func writeTails(b *strings.Builder, apps int, ol *openLoop) {
	type row struct {
		name string
		run  int
		m    measurement
	}
	var rows []row
	for _, p := range ol.pages { // a page alone only where it had slow requests
		for i, m := range p.runs {
			if m.tail.slow > 0 {
				rows = append(rows, row{p.name, i + 1, m})
			}
		}
	}
	for i, m := range ol.mix {
		rows = append(rows, row{fmt.Sprintf("mix at %d/s", ol.mixRate), i + 1, m})
	}
	fmt.Fprintf(b, "The open loop's slow requests (over %s) at %d applications, in each run of the mix and each run of a page alone that had any: when they were sent, from the run's start "+
		"(the three largest bursts: seconds, requests, worst, and how many requests the portal itself took over %s on while each lasted), the machine meanwhile and over the whole run, "+
		"and PostgreSQL's slow statements (over %s), checkpoints and autovacuum during the run:\n\n", ms(slowOver), apps, ms(slowOver), pgSlowStatement)
	b.WriteString("| page | run | slow | bursts | the machine during the largest burst | over the run | PostgreSQL's log |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		t := r.m.tail
		var bs []string
		for i, x := range t.bursts {
			bs = append(bs, fmt.Sprintf("%.1f–%.1f s, %d, %s, portal %d", x.from.Sub(t.start).Seconds(), x.to.Sub(t.start).Seconds(),
				x.requests, ms(x.worst), t.served[i]))
		}
		during := "–"
		if len(t.during) > 0 {
			during = t.during[0].String()
		}
		var ev []string
		for _, e := range t.pgEvents {
			ev = append(ev, fmt.Sprintf("%.1f s: %s", e.at.Sub(t.start).Seconds(), strings.ReplaceAll(e.what, "|", "\\|")))
		}
		fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %s | %s |\n", r.name, r.run, t.slow, cmp.Or(strings.Join(bs, "; "), "none"),
			during, t.overall, cmp.Or(strings.Join(ev, "; "), "–"))
	}
	b.WriteString("\n")
}
