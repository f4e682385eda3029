package tui

import (
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// TestRefreshDropsADeletedFunction deletes a function behind the console's
// back, as another user or a pipeline would, and checks that ctrl+r on the
// Functions screen drops its row. The background re-read is slowed to an
// hour so that only the key can have done it.
func TestRefreshDropsADeletedFunction(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	all, err := tn.client.ListFunctions(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	victim := all[0].Name
	if victim == tn.fn {
		victim = all[1].Name
	}
	c := startConsoleWith(t, tn.session, 120, 40, Options{ListEvery: time.Hour})
	c.waitFor(t, "the list", loaded)
	c.keys("/", victim, "enter")
	c.waitFor(t, victim+" alone in the list", func(s string) bool {
		return strings.Contains(s, "1 of 65 functions") && strings.Contains(s, victim)
	})

	_, err = tn.client.Lambda().DeleteFunction(t.Context(), &lambda.DeleteFunctionInput{FunctionName: sdkaws.String(victim)})
	if err != nil {
		t.Fatal(err)
	}
	c.keys("ctrl+r")
	c.waitFor(t, "the list without "+victim, func(s string) bool {
		return strings.Contains(s, "0 of 64 functions") && strings.Contains(s, "no function matches the filter")
	})
	c.keys("esc")
	text := c.waitForText(t, "64 functions · sort")
	if strings.Contains(text, victim) {
		t.Fatalf("%s is still listed after ctrl+r:\n%s", victim, text)
	}
}
