package portal

import (
	"runtime/debug"
	"strconv"
)

// The garbage collector's settings when the environment names none. With
// Go's default (GOGC=100) the portal's small live heap (tens of MB) was
// collected every few hundred requests, 10-20% of its CPU under load. A
// collection is let wait until the heap has grown by four times what is
// live instead, and the soft limit makes it collect sooner when the process
// nears it, so the trade of memory for CPU stays bounded.
const (
	DefaultGOGC        = 400
	DefaultMemoryLimit = 512 << 20 // bytes
)

// TuneGC applies DefaultGOGC and DefaultMemoryLimit unless GOGC or
// GOMEMLIMIT are set, in which case the Go runtime has read them already.
// It returns the settings in force, for the log.
func TuneGC(getenv func(string) string) (gogc string, limit string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(DefaultGOGC)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
	// Reading a setting means setting it; put each back as it was.
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	gogc = "off"
	if percent >= 0 {
		gogc = strconv.Itoa(percent)
	}
	return gogc, strconv.FormatInt(debug.SetMemoryLimit(-1)>>20, 10) + " MiB"
}
