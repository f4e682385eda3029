package aws

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Report is the REPORT line Lambda writes after each invocation:
//
//	REPORT RequestId: <id>\tDuration: 15.74 ms\tBilled Duration: 16 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 130.49 ms\t
//
// Init Duration appears only on a cold start.
type Report struct {
	RequestID      string
	Duration       time.Duration
	BilledDuration time.Duration
	MemorySizeMB   int
	MaxMemoryMB    int
	InitDuration   time.Duration
}

// ColdStart reports whether the invocation initialised a new environment.
func (r Report) ColdStart() bool { return r.InitDuration > 0 }

// ParseReport finds the last REPORT line in a log tail and parses it; false
// when there is none or it lacks a Duration. Unknown fields (SnapStart's
// Restore Duration, X-Ray's) are ignored.
func ParseReport(logTail string) (Report, bool) {
	line, ok := lastReportLine(logTail)
	if !ok {
		return Report{}, false
	}
	var r Report
	seenDuration := false
	for _, field := range strings.Split(line, "\t") {
		name, value, found := strings.Cut(strings.TrimSpace(field), ":")
		if !found {
			continue
		}
		seenDuration = r.setField(name, strings.TrimSpace(value)) || seenDuration
	}
	return r, seenDuration
}

func lastReportLine(logTail string) (string, bool) {
	i := strings.LastIndex(logTail, "REPORT RequestId:")
	if i < 0 {
		return "", false
	}
	line, _, _ := strings.Cut(logTail[i+len("REPORT "):], "\n")
	return line, true
}

// setField stores one "Name: value" field; true when it was the Duration.
func (r *Report) setField(name, value string) bool {
	switch name {
	case "RequestId":
		r.RequestID = value
	case "Duration":
		r.Duration = parseMillis(value)
		return true
	case "Billed Duration":
		r.BilledDuration = parseMillis(value)
	case "Init Duration":
		r.InitDuration = parseMillis(value)
	case "Memory Size":
		r.MemorySizeMB = parseMegabytes(value)
	case "Max Memory Used":
		r.MaxMemoryMB = parseMegabytes(value)
	}
	return false
}

// parseMillis reads "15.74 ms".
func parseMillis(value string) time.Duration {
	number, _, _ := strings.Cut(value, " ")
	ms, err := strconv.ParseFloat(number, 64)
	if err != nil || ms < 0 || math.IsInf(ms, 0) || ms > float64(math.MaxInt64/int64(time.Millisecond)) {
		return 0
	}
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}

// parseMegabytes reads "128 MB".
func parseMegabytes(value string) int {
	number, _, _ := strings.Cut(value, " ")
	mb, err := strconv.Atoi(number)
	if err != nil || mb < 0 {
		return 0
	}
	return mb
}
