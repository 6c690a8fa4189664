package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The load is generated in a process of its own, this binary started again
// with -attack (vegeta as a library), so that the CPU the portal's process
// spends is the portal's alone: the generator's requests, connections and
// latency bookkeeping are not counted against the page, and the two do not
// share a garbage collector. The parent sends one attack at a time as a line
// of JSON on the child's standard input and reads its result as a line on
// the child's standard output; it reads the CPU counters around each.

// attackSpec is one attack.
type attackSpec struct {
	Targets  []vegeta.Target
	Once     bool          // each target at most once, then stop
	Rate     int           // requests per second (open loop); 0: a closed loop of Workers
	Workers  int           // the closed loop's clients
	Duration time.Duration // how long requests are sent
	Want     int           // the status a good answer has
	SlowOver time.Duration // requests slower than this are returned with when they were sent (0: none)
}

// attackResult is what the generator saw.
type attackResult struct {
	Requests  int // answered with the status wanted
	Sent      int // in all
	Errors    int
	FirstErr  string
	Elapsed   time.Duration
	P50, P99  time.Duration
	Start     time.Time     // when the first request was due
	Slow      []slowRequest // the first maxSlow requests over SlowOver (tail.go)
	SlowCount int           // every request over SlowOver
}

// attackerMain is the child: it runs attacks until its input ends.
func attackerMain(in io.Reader, out io.Writer) error {
	// One client for every attack, so connections stay open from one to the
	// next, as a proxy's would.
	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 0, DisableCompression: true,
			IdleConnTimeout: 5 * time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	dec := json.NewDecoder(bufio.NewReader(in))
	enc := json.NewEncoder(out)
	for {
		var spec attackSpec
		if err := dec.Decode(&spec); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if err := enc.Encode(attack(client, spec)); err != nil {
			return err
		}
	}
}

// attack runs one attack with vegeta and summarises it.
func attack(client *http.Client, spec attackSpec) attackResult {
	opts := []func(*vegeta.Attacker){vegeta.Client(client), vegeta.MaxBody(0)}
	pacer := vegeta.ConstantPacer{Freq: spec.Rate, Per: time.Second}
	if spec.Rate == 0 {
		// No pace and a fixed number of workers: each sends its next
		// request when the last is answered, a closed loop.
		opts = append(opts, vegeta.Workers(uint64(spec.Workers)), vegeta.MaxWorkers(uint64(spec.Workers)))
	} else {
		opts = append(opts, vegeta.Workers(uint64(max(10, spec.Rate/20))), vegeta.MaxWorkers(4096))
	}
	targeter := vegeta.NewStaticTargeter(spec.Targets...)
	if spec.Once {
		var mu sync.Mutex // vegeta's workers call the targeter at once
		next := 0
		targeter = func(t *vegeta.Target) error {
			mu.Lock()
			defer mu.Unlock()
			if next >= len(spec.Targets) {
				return vegeta.ErrNoTargets
			}
			*t = spec.Targets[next]
			next++
			return nil
		}
	}
	a := vegeta.NewAttacker(opts...)
	var r attackResult
	latencies := make([]time.Duration, 0, 1<<14)
	start := time.Now()
	r.Start = start
	for res := range a.Attack(targeter, pacer, spec.Duration, "") {
		if res.Error == vegeta.ErrNoTargets.Error() {
			continue
		}
		r.Sent++
		if int(res.Code) != spec.Want {
			r.Errors++
			if r.FirstErr == "" {
				r.FirstErr = fmt.Sprintf("%s %s: status %d, %s", res.Method, res.URL, res.Code, res.Error)
			}
			continue
		}
		latencies = append(latencies, res.Latency)
		if spec.SlowOver > 0 && res.Latency > spec.SlowOver {
			r.SlowCount++
			if len(r.Slow) < maxSlow {
				r.Slow = append(r.Slow, slowRequest{At: res.Timestamp, Latency: res.Latency})
			}
		}
	}
	r.Elapsed = time.Since(start)
	r.Requests = len(latencies)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	r.P50, r.P99 = pct(0.50), pct(0.99)
	return r
}

// attacker is the parent's handle on the generator process.
type attacker struct {
	cmd *exec.Cmd
	enc *json.Encoder
	dec *json.Decoder
	in  io.WriteCloser
}

// startAttacker starts this binary again as the generator.
func startAttacker(ctx context.Context) (*attacker, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-attack")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &attacker{cmd: cmd, in: in, enc: json.NewEncoder(in), dec: json.NewDecoder(bufio.NewReader(out))}, nil
}

// run sends one attack and waits for its result. An attack of no
// duration sends nothing: vegeta would read it as "until stopped", and
// nothing stops it (-warmup 0s is no warm-up).
func (a *attacker) run(spec attackSpec) (attackResult, error) {
	var r attackResult
	if spec.Duration <= 0 && !spec.Once {
		return r, nil
	}
	if err := a.enc.Encode(spec); err != nil {
		return r, fmt.Errorf("the load generator: %w", err)
	}
	if err := a.dec.Decode(&r); err != nil {
		return r, fmt.Errorf("the load generator: %w", err)
	}
	return r, nil
}

func (a *attacker) stop() {
	_ = a.in.Close()
	_ = a.cmd.Wait()
}
