package main

import (
	"net"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// RunningSandbox is a lambdatune sandbox of this user that another lambdatune
// process can reach: the console's embedded sandbox or `lambdatune sandbox`,
// found through the runtime file it writes while it runs (runtimefile.go).
type RunningSandbox struct {
	PID int `json:"pid"`
	// Kind is "console" (the console's embedded sandbox) or "standalone".
	Kind string `json:"kind"`
	// Endpoint is its AWS endpoint, e.g. http://127.0.0.1:41087.
	Endpoint string `json:"endpoint"`
	// ProductsAPI is its products API with the stage, e.g. http://127.0.0.1:45429/Prod.
	ProductsAPI string `json:"productsApi"`
	// Function is the lab function behind the products API.
	Function string    `json:"function"`
	Started  time.Time `json:"started"`
}

// Describe says which sandbox this is, for the headless commands' output:
// "the lambdatune sandbox at http://127.0.0.1:41087 (the console's, pid 4242)".
func (s RunningSandbox) Describe() string {
	owner := "`lambdatune sandbox`"
	if s.Kind == kindConsole {
		owner = "the console's"
	}
	return "the lambdatune sandbox at " + s.Endpoint + " (" + owner + ", pid " + strconv.Itoa(s.PID) + ")"
}

// FindSandbox returns this user's newest running lambdatune sandbox. Files of
// processes that are gone are ignored (and removed), as are sandboxes whose
// endpoint no longer accepts connections.
func FindSandbox() (RunningSandbox, bool) {
	found := readRuntimeFiles()
	sort.Slice(found, func(i, j int) bool { return found[i].Started.After(found[j].Started) })
	for _, s := range found {
		if answers(s.Endpoint) {
			return s, true
		}
	}
	return RunningSandbox{}, false
}

// DiscoverEndpoint is the endpoint a headless command should use: the one the
// user named, or, when the user named no endpoint, profile or region, the AWS
// endpoint of this user's running lambdatune sandbox; "" means the SDK's
// default chain (a real account). `lambdatune load --function` and
// `lambdatune set` call it before they build their client.
func DiscoverEndpoint(endpointURL, profile, region string) string {
	if endpointURL != "" || profile != "" || region != "" {
		return endpointURL
	}
	if s, ok := FindSandbox(); ok {
		return s.Endpoint
	}
	return ""
}

// answers reports whether something accepts connections at a loopback
// endpoint, so that a reused pid does not pass for a sandbox.
func answers(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || !isLoopbackURL(endpoint) {
		return false
	}
	conn, err := net.DialTimeout("tcp", u.Host, 500*time.Millisecond)
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
}
