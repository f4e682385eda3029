package metrics_test

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// TestAWSCLIScript runs scripts/awscli_cloudwatch.sh with both AWS CLIs
// (Debian's 2.9 speaks AWS Query, aws-cli 1.x JSON 1.0) against the handler
// serving a store seeded with a known set of invocations in the last hour.
// It proves the script's checks before the sandbox records real invocations.
func TestAWSCLIScript(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the AWS CLIs (a few seconds)")
	}
	clis := availableCLIs()
	if len(clis) == 0 {
		t.Skip("no AWS CLI on this machine")
	}
	store := metrics.NewStore(metrics.Options{})
	rec := metrics.NewLambdaRecorder(store)
	now := time.Now()
	for i := range 12 {
		inv := metrics.Invocation{Start: now.Add(-10*time.Minute + time.Duration(i)*time.Second), FunctionName: "products",
			ExecutedVersion: "$LATEST", Duration: time.Duration(20+i) * time.Millisecond, FunctionError: i < 2}
		if i >= 8 {
			inv.Qualifier, inv.ExecutedVersion = "live", "3"
		}
		rec.Invocation(inv)
	}
	for range 3 {
		rec.Throttle(now.Add(-5*time.Minute), "products", "")
	}
	srv := httptest.NewServer(metrics.NewHandler(store, nil))
	t.Cleanup(srv.Close)
	dims := "FunctionName=products\nFunctionName=products,Resource=products:live\n" +
		"ExecutedVersion=3,FunctionName=products,Resource=products:live"
	for _, cli := range clis {
		out, err := runScript(t, srv.URL, cli, "12", dims)
		if err != nil {
			t.Errorf("%s: %v\n%s", cli, err, out)
			continue
		}
		t.Logf("%s", out)
	}
	// The script must fail, saying what differed, when the data does not match.
	out, err := runScript(t, srv.URL, clis[0], "13", dims)
	if err == nil || !strings.Contains(string(out), "get-metric-data ("+clis[0]+") differs") {
		t.Errorf("a wrong expectation passed (%v):\n%s", err, out)
	}
}

func runScript(t *testing.T, endpoint, cli, invocations, dims string) ([]byte, error) {
	cmd := exec.Command("bash", "../../scripts/awscli_cloudwatch.sh", endpoint, cli, "products", invocations, "2", "3", dims)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "AWS_ACCESS_KEY_ID=sandbox", "AWS_SECRET_ACCESS_KEY=sandbox",
		"AWS_MAX_ATTEMPTS=1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	return cmd.CombinedOutput()
}

func availableCLIs() []string {
	var clis []string
	if _, err := os.Stat("/usr/bin/aws"); err == nil {
		clis = append(clis, "/usr/bin/aws")
	}
	if exec.Command("python3", "-c", "import awscli").Run() == nil {
		clis = append(clis, "python3 -m awscli")
	}
	return clis
}
