package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// maxLogTail is how much of the log X-Amz-Log-Result carries: the last 4 KB.
// (D) [S27]
const maxLogTail = 4096

// logTail is X-Amz-Log-Result: base64 of the last 4 KB of the invocation's
// log, from START to REPORT (docs/sandbox-model.md#invoke-on-the-wire).
func (inv *invocation) logTail() string {
	log := inv.log()
	if len(log) > maxLogTail {
		log = log[len(log)-maxLogTail:]
	}
	return base64.StdEncoding.EncodeToString([]byte(log))
}

// log is the invocation's log: START, the code's lines, the runtime's error
// or the platform's timeout line, END and REPORT.
func (inv *invocation) log() string {
	var b strings.Builder
	fmt.Fprintf(&b, "START RequestId: %s Version: %s\n", inv.requestID, inv.pool.version)
	for _, line := range inv.out.logs {
		b.WriteString(line)
		b.WriteByte('\n')
	}
	switch {
	case inv.timedOut:
		fmt.Fprintf(&b, "%s %s Task timed out after %.2f seconds\n",
			lambdaLogTime(inv.start.Add(inv.latency())), inv.requestID, inv.duration.Seconds())
	case inv.out.err != nil && inv.out.err.logLine != "":
		b.WriteString(inv.out.err.logLine)
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "END RequestId: %s\n", inv.requestID)
	b.WriteString(inv.reportLine())
	b.WriteByte('\n')
	return b.String()
}

// reportLine is the REPORT line: tab-separated fields, each followed by a tab;
// Duration with two decimals; Init Duration only on a cold start; Status:
// timeout when the function timed out. (D) [S37], (C) [S9]
func (inv *invocation) reportLine() string {
	var b strings.Builder
	fmt.Fprintf(&b, "REPORT RequestId: %s\tDuration: %s ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t",
		inv.requestID, millis(inv.duration), inv.billed().Milliseconds(), inv.pool.config.MemorySize, inv.maxMemoryMB)
	if inv.cold {
		fmt.Fprintf(&b, "Init Duration: %s ms\t", millis(inv.initDuration))
	}
	if inv.timedOut {
		b.WriteString("Status: timeout\t")
	}
	return b.String()
}

// millis writes d in milliseconds with two decimals, e.g. 15.74.
func millis(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

// timeoutPayload is what Invoke answers when the function timed out.
func (inv *invocation) timeoutPayload() []byte {
	data, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", inv.requestID, inv.duration.Seconds()), "Sandbox.Timedout"})
	return data
}

// responsePayload is what Invoke answers.
func (inv *invocation) responsePayload() []byte {
	if inv.timedOut {
		return inv.timeoutPayload()
	}
	return inv.out.responsePayload()
}
