package load

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hangAfter answers the first n requests and holds every later one until the
// client goes away.
func hangAfter(t *testing.T, n int64) string {
	var answered atomic.Int64
	return startServer(t, func(w http.ResponseWriter, r *http.Request) {
		if answered.Add(1) > n {
			<-r.Context().Done()
			return
		}
		w.Write([]byte("ok"))
	})
}

// TestOpenModelAccountsForEveryRequestSent: at 200 requests/s against a
// server that stops answering after 20, the requests the run-time stop cut
// off are reported, so that sent = timed + in flight at stop (issue 13 §5:
// 9,908 of 19,908 sent were never counted before).
func TestOpenModelAccountsForEveryRequestSent(t *testing.T) {
	t.Parallel()
	snap := runToEnd(t, Config{
		Target: mustTarget(t, hangAfter(t, 20), HTTPOptions{}), Scenario: GetScenario{},
		Users: 30, Pacer: ConstantRate{Freq: 200, Per: time.Second}, RunTime: 500 * time.Millisecond,
	})
	if snap.Total.Requests < 20 || snap.Total.InFlightAtStop == 0 || snap.Total.Requests+snap.Total.InFlightAtStop != snap.Open.Sent {
		t.Fatalf("sent %d, timed %d, in flight at stop %d: they must add up", snap.Open.Sent, snap.Total.Requests, snap.Total.InFlightAtStop)
	}
}

// TestInFlightAtStopIsReported: a Ctrl-C while five users wait reports the
// five in the table, the JSON and the exceptions CSV, and nowhere as a
// failure.
func TestInFlightAtStopIsReported(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	run, err := Start(ctx, Config{Target: mustTarget(t, hangAfter(t, 10), HTTPOptions{}), Scenario: GetScenario{Label: "/slow"}, Users: 5, RunTime: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	for giveUp := time.Now().Add(10 * time.Second); run.Snapshot().InFlight < 5 || run.Snapshot().Total.Requests < 10; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(giveUp) {
			t.Fatal("the users never all waited")
		}
	}
	cancel()
	snap := run.Wait()
	const line = "5 requests in flight at stop, not timed (in none of the counts above): GET /slow 5"
	if snap.Total.InFlightAtStop != 5 || snap.Total.Failures != 0 || snap.Total.Requests != 10 {
		t.Fatalf("in flight at stop %d, failures %d, requests %d", snap.Total.InFlightAtStop, snap.Total.Failures, snap.Total.Requests)
	}
	var table, js, exceptions, failures bytes.Buffer
	WriteTable(&table, snap)
	if err := WriteJSON(&js, NewJSONReport(run.Info(), snap, run.Windows(0), nil)); err != nil {
		t.Fatal(err)
	}
	WriteExceptionsCSV(&exceptions, snap)
	WriteFailuresCSV(&failures, snap)
	var rep JSONReport
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), line) || rep.Total.InFlightAtStop != 5 || rep.Endpoints[0].InFlightAtStop != 5 {
		t.Fatalf("table:\n%s\njson total %+v", table.String(), rep.Total)
	}
	if want := "Count,Message,Traceback,Nodes\r\n5,\"" + line + "\",,local\r\n"; exceptions.String() != want {
		t.Fatalf("exceptions csv %q, want %q", exceptions.String(), want)
	}
	if failures.String() != "Method,Name,Error,Occurrences\r\n" {
		t.Fatalf("in-flight requests written as failures: %q", failures.String())
	}
}
