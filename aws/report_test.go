package aws

import (
	"encoding/base64"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestParseReport(t *testing.T) {
	tests := []struct {
		name string
		tail string
		want Report
		ok   bool
	}{
		{
			name: "warm, from the AWS docs",
			tail: "START RequestId: 8f5 Version: $LATEST\nEND RequestId: 8f5\nREPORT RequestId: 8f5\tDuration: 15.74 ms\tBilled Duration: 16 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\t\n",
			want: Report{RequestID: "8f5", Duration: 15740 * time.Microsecond, BilledDuration: 16 * time.Millisecond, MemorySizeMB: 128, MaxMemoryMB: 56},
			ok:   true,
		},
		{
			name: "cold start, billed includes init (since August 2025)",
			tail: "REPORT RequestId: c0ffee\tDuration: 1513.37 ms\tBilled Duration: 1817 ms\tMemory Size: 3008 MB\tMax Memory Used: 99 MB\tInit Duration: 303.63 ms\t",
			want: Report{RequestID: "c0ffee", Duration: 1513370 * time.Microsecond, BilledDuration: 1817 * time.Millisecond, MemorySizeMB: 3008, MaxMemoryMB: 99, InitDuration: 303630 * time.Microsecond},
			ok:   true,
		},
		{
			name: "SnapStart and X-Ray fields are ignored",
			tail: "REPORT RequestId: a\tDuration: 2.00 ms\tBilled Duration: 3 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\tRestore Duration: 300.00 ms\tBilled Restore Duration: 150 ms\t\nXRAY TraceId: 1-2-3\tSegmentId: 4\tSampled: true\n",
			want: Report{RequestID: "a", Duration: 2 * time.Millisecond, BilledDuration: 3 * time.Millisecond, MemorySizeMB: 512, MaxMemoryMB: 80},
			ok:   true,
		},
		{
			name: "the last REPORT wins when the tail holds two",
			tail: "REPORT RequestId: old\tDuration: 9.00 ms\t\nREPORT RequestId: new\tDuration: 1.50 ms\t",
			want: Report{RequestID: "new", Duration: 1500 * time.Microsecond},
			ok:   true,
		},
		{name: "no REPORT line (tail cut)", tail: "START RequestId: x\nsome log\n", ok: false},
		{name: "REPORT without a Duration", tail: "REPORT RequestId: x\tMemory Size: 128 MB\t", want: Report{RequestID: "x", MemorySizeMB: 128}, ok: false},
		{name: "garbage numbers read as zero", tail: "REPORT RequestId: x\tDuration: lots ms\tMemory Size: -5 MB\t", want: Report{RequestID: "x"}, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseReport(tt.tail)
			if ok != tt.ok || got != tt.want {
				t.Fatalf("ParseReport = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
			if got.ColdStart() != (tt.want.InitDuration > 0) {
				t.Fatalf("ColdStart() = %v", got.ColdStart())
			}
		})
	}
}

func TestDecodeInvokeOutput(t *testing.T) {
	tail := "START RequestId: r1 Version: 3\nEND RequestId: r1\nREPORT RequestId: r1\tDuration: 42.10 ms\tBilled Duration: 43 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n"
	out, err := decodeInvokeOutput(&lambda.InvokeOutput{
		StatusCode: 200, Payload: []byte(`{"statusCode":200}`),
		ExecutedVersion: sdkaws.String("3"), FunctionError: sdkaws.String("Unhandled"),
		LogResult: sdkaws.String(base64.StdEncoding.EncodeToString([]byte(tail))),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.HasReport || out.Report.Duration != 42100*time.Microsecond || out.ExecutedVersion != "3" || out.FunctionError != "Unhandled" || out.StatusCode != 200 {
		t.Fatalf("decoded %+v", out)
	}
	if _, err := decodeInvokeOutput(&lambda.InvokeOutput{LogResult: sdkaws.String("not base64!")}); err == nil {
		t.Fatal("a log tail that is not base64 was accepted")
	}
	none, err := decodeInvokeOutput(&lambda.InvokeOutput{StatusCode: 200})
	if err != nil || none.HasReport {
		t.Fatalf("no log tail: %+v, %v", none, err)
	}
}

func TestThrottleIsDistinguishable(t *testing.T) {
	throttle := &types.TooManyRequestsException{Message: sdkaws.String("Rate Exceeded."), Reason: types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded}
	wrapped := wrapForTest(throttle)
	if !IsThrottle(wrapped) || ThrottleReason(wrapped) != "ReservedFunctionConcurrentInvocationLimitExceeded" {
		t.Fatalf("throttle not recognised through wrapping: %v", wrapped)
	}
	if IsThrottle(&types.ResourceNotFoundException{}) || ThrottleReason(nil) != "" {
		t.Fatal("a non-throttle counted as a throttle")
	}
}

func wrapForTest(err error) error { return &wrapped{err} }

type wrapped struct{ err error }

func (w *wrapped) Error() string { return "invoke fn: " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

func FuzzParseReport(f *testing.F) {
	f.Add("REPORT RequestId: c0ffee\tDuration: 1513.37 ms\tBilled Duration: 1817 ms\tMemory Size: 3008 MB\tMax Memory Used: 99 MB\tInit Duration: 303.63 ms\t")
	f.Add("REPORT RequestId:\tDuration: 1e400 ms")
	f.Fuzz(func(t *testing.T, tail string) {
		r, _ := ParseReport(tail)
		if r.Duration < 0 || r.InitDuration < 0 || r.MemorySizeMB < 0 {
			t.Fatalf("negative value from %q: %+v", tail, r)
		}
	})
}
