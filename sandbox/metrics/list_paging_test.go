package metrics_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

func metricKey(m types.Metric) string {
	key := sdkaws.ToString(m.Namespace) + "|" + sdkaws.ToString(m.MetricName)
	for _, d := range m.Dimensions {
		key += "|" + sdkaws.ToString(d.Name) + "=" + sdkaws.ToString(d.Value)
	}
	return key
}

// ListMetrics pages with a cursor: series that appear while a caller pages
// through (traffic to new functions, before and after the cursor) cause no
// duplicates, and no metric that existed when paging began is missed.
func TestListMetricsTokensSurviveNewSeries(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	invoke := func(fn string) {
		cw.recorder.Invocation(metrics.Invocation{Start: cw.clock.Now(), FunctionName: fn, Duration: ms(5)})
	}
	for i := range 400 { // Invocations, Errors, Throttles, Duration: 1,600 series and the account's 4
		invoke(fmt.Sprintf("fn-%04d", 2*i))
	}
	cw.clock.Advance(time.Minute)
	before := map[string]bool{}
	all, err := cloudwatch.NewListMetricsPaginator(cw.client, &cloudwatch.ListMetricsInput{Namespace: sdkaws.String("AWS/Lambda")}).NextPage(context.Background())
	mustNoErrM(t, err)
	for _, m := range all.Metrics {
		before[metricKey(m)] = true
	}

	seen := map[string]int{}
	pages := cloudwatch.NewListMetricsPaginator(cw.client, &cloudwatch.ListMetricsInput{Namespace: sdkaws.String("AWS/Lambda")})
	for page := 0; pages.HasMorePages() && page < 20; page++ {
		out, err := pages.NextPage(context.Background())
		mustNoErrM(t, err)
		for _, m := range out.Metrics {
			seen[metricKey(m)]++
		}
		for i := range 50 { // traffic between pages: new functions all through the sort order
			invoke(fmt.Sprintf("fn-%04d", 2*(page*50+i)%800+1))
		}
		cw.clock.Advance(2 * time.Second)
	}
	if len(before) != 500 {
		t.Fatalf("first page before the traffic held %d metrics, want 500", len(before))
	}
	for key, n := range seen {
		if n > 1 {
			t.Errorf("%s listed %d times", key, n)
		}
	}
	for i := range 400 {
		key := fmt.Sprintf("AWS/Lambda|Invocations|FunctionName=fn-%04d", 2*i)
		if seen[key] != 1 {
			t.Errorf("%s, there from the start, listed %d times", key, seen[key])
		}
	}
}

func TestListMetricsRefusesABadToken(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(time.Minute)
	for _, token := range []string{"list-500", "not base64!", "bDE6MDpmb28"} {
		_, err := cw.client.ListMetrics(context.Background(), &cloudwatch.ListMetricsInput{NextToken: sdkaws.String(token)})
		assertAPIError(t, err, &types.InvalidParameterValueException{}, "InvalidParameterValue", "The value for parameter NextToken is not valid")
	}
}

func mustNoErrM(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The same while traffic records new series concurrently with the paging.
func TestListMetricsPagingWhileTrafficRuns(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	for i := range 300 {
		cw.recorder.Invocation(metrics.Invocation{Start: cw.clock.Now(), FunctionName: fmt.Sprintf("fn-%04d", 2*i), Duration: ms(5)})
	}
	cw.clock.Advance(time.Minute)
	done := make(chan struct{})
	published := cw.clock.Now().Add(-30 * time.Second) // visible at once
	started := make(chan struct{})
	go func() { // bounded traffic: 600 new functions, interleaved in the sort order
		defer close(done)
		for i := range 600 {
			if i == 100 {
				close(started) // paging begins while the other 500 are still to come
			}
			cw.recorder.Invocation(metrics.Invocation{Start: published, FunctionName: fmt.Sprintf("fn-%04d", 2*(i%300)+1) + fmt.Sprint(i/300),
				Duration: ms(5)})
		}
	}()
	<-started
	seen := map[string]int{}
	pages := cloudwatch.NewListMetricsPaginator(cw.client, &cloudwatch.ListMetricsInput{Namespace: sdkaws.String("AWS/Lambda")})
	for page := 0; pages.HasMorePages() && page < 30; page++ {
		out, err := pages.NextPage(context.Background())
		mustNoErrM(t, err)
		for _, m := range out.Metrics {
			seen[metricKey(m)]++
		}
	}
	<-done
	if len(seen) <= 300*4+4 {
		t.Errorf("the paging saw none of the new series (%d metrics): the traffic did not overlap", len(seen))
	}
	for key, n := range seen {
		if n > 1 {
			t.Errorf("%s listed %d times", key, n)
		}
	}
	for i := range 300 {
		if key := fmt.Sprintf("AWS/Lambda|Duration|FunctionName=fn-%04d", 2*i); seen[key] != 1 {
			t.Errorf("%s, there from the start, listed %d times", key, seen[key])
		}
	}
}
