package aws_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
)

// emptyFinalMarker answers like the sandbox, except that a list's last page
// says "NextMarker": "" where the sandbox leaves the member out, as an
// AWS-compatible endpoint may: an empty marker means the list is done.
func emptyFinalMarker(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var page map[string]any
		if r.Method == http.MethodGet && rec.Code == http.StatusOK && json.Unmarshal(body, &page) == nil {
			if _, isList := page["Aliases"]; isList && page["NextMarker"] == nil {
				page["NextMarker"] = ""
				body, _ = json.Marshal(page)
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// TestListsEndOnAnEmptyMarker: the detail's lists follow the SDK's
// paginators, which end on an empty NextMarker; a loop that sent it back as
// Marker="" would start the list over and never end.
func TestListsEndOnAnEmptyMarker(t *testing.T) {
	t.Parallel()
	sb, err := sandbox.New(fastSandbox())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	srv := httptest.NewServer(emptyFinalMarker(sb.Handler()))
	t.Cleanup(srv.Close)
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	name := sb.ProductFunctionName()
	version, err := client.Lambda().PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: sdkaws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	const aliases = 60 // two pages of 50
	for i := range aliases {
		_, err := client.Lambda().CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: sdkaws.String(name),
			Name: sdkaws.String(fmt.Sprintf("a%02d", i)), FunctionVersion: version.Version})
		if err != nil {
			t.Fatal(err)
		}
	}
	detail, err := client.FunctionDetail(ctx, name)
	if err != nil {
		t.Fatalf("read the detail: %v", err)
	}
	seen := map[string]bool{}
	for _, a := range detail.Aliases {
		if seen[a.Name] {
			t.Fatalf("alias %s listed twice", a.Name)
		}
		seen[a.Name] = true
	}
	if len(detail.Aliases) != aliases || len(detail.Versions) != 1 {
		t.Fatalf("%d aliases and %d versions listed, want %d and 1", len(detail.Aliases), len(detail.Versions), aliases)
	}
}
