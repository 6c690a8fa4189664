package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPU time spent, by this process (portal and clients) and by the
// PostgreSQL server's processes. Throughput on a shared machine moves with
// whatever else runs; CPU time per request does not, so the report gives
// both.

// clockTick is the unit of /proc's CPU times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuMeter reads the CPU time of this process and of a PostgreSQL server.
type cpuMeter struct {
	postmaster int // 0: the server is elsewhere, its CPU is not counted
}

// newCPUMeter finds the postmaster of the cluster whose data folder is
// dataDir ("" : not counted).
func newCPUMeter(dataDir string) cpuMeter {
	if dataDir == "" {
		return cpuMeter{}
	}
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return cpuMeter{}
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	return cpuMeter{postmaster: pid}
}

// sample is the CPU time used so far by this process, and by each of the
// server's processes.
type sample struct {
	self   time.Duration
	server map[int]int64 // ticks by process id
}

func (m cpuMeter) now() sample {
	var s sample
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if m.postmaster == 0 {
		return s
	}
	s.server = map[int]int64{}
	for _, pid := range m.processes() {
		ppid, ticks, ok := procStat(pid)
		if ok && (pid == m.postmaster || ppid == m.postmaster) {
			s.server[pid] = ticks
		}
	}
	return s
}

// processes are the postmaster and its children, as the kernel lists them;
// where it does not, every process (now is then read every 100 ms by the
// open loop's sampler, and a scan of /proc costs it about 2 ms).
func (m cpuMeter) processes() []int {
	pm := strconv.Itoa(m.postmaster)
	if b, err := os.ReadFile("/proc/" + pm + "/task/" + pm + "/children"); err == nil {
		pids := []int{m.postmaster}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
		return pids
	}
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// since is the CPU time spent between two samples. A server process that
// ended in between is not counted (its time is gone with it); one that
// began is counted whole.
func (s sample) since(before sample) (self, server time.Duration) {
	for pid, ticks := range s.server {
		server += time.Duration(ticks-before.server[pid]) * clockTick
	}
	return s.self - before.self, server
}

// procStat reads a process's parent and its user and system CPU ticks.
func procStat(pid int) (ppid int, ticks int64, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// The command name (field 2) may hold spaces: the fields after it
	// start after its closing parenthesis.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return ppid, utime + stime, true
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes, as
// /proc/loadavg gives it: how busy the shared machine was beside a run.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
