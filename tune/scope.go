package tune

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Scope is the account a tuning session belongs to: an account and region on
// AWS (or on an AWS-compatible endpoint), or the embedded sandbox. Sessions of
// different scopes are kept apart: the sandbox's product function and a real
// one of the same name never share a session.
type Scope struct {
	Sandbox bool
	Account string
	Region  string
	// Endpoint is the host of an AWS-compatible endpoint (a standalone
	// sandbox, LocalStack), empty for AWS itself.
	Endpoint string
}

// SandboxScope is the embedded sandbox's scope.
var SandboxScope = Scope{Sandbox: true}

// ErrUnknownAccount is returned for a scope whose account is not known yet.
var ErrUnknownAccount = errors.New("the account is not known yet")

// ScopeOf is the scope of what a session is connected to.
func ScopeOf(w Where) Scope {
	if w.Sandbox {
		return SandboxScope
	}
	return Scope{Account: w.AccountID, Region: w.Region, Endpoint: endpointHost(w.Endpoint)}
}

func endpointHost(raw string) string {
	if raw == "" {
		return ""
	}
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// Key is how the journal names the scope: "sandbox", "123456789012/eu-west-1",
// or "123456789012/us-east-1@127.0.0.1:4566" for an AWS-compatible endpoint.
func (s Scope) Key() string {
	if s.Sandbox {
		return "sandbox"
	}
	key := s.Account + "/" + s.Region
	if s.Endpoint != "" {
		key += "@" + s.Endpoint
	}
	return key
}

// String is the scope as a user reads it.
func (s Scope) String() string {
	if s.Sandbox {
		return "the embedded sandbox"
	}
	out := fmt.Sprintf("account %s in %s", s.Account, s.Region)
	if s.Endpoint != "" {
		out += " at " + s.Endpoint
	}
	return out
}

// Validate refuses a scope the journal cannot file records under.
func (s Scope) Validate() error {
	if s.Sandbox {
		return nil
	}
	if s.Account == "" {
		return ErrUnknownAccount
	}
	if s.Region == "" || strings.ContainsAny(s.Account+s.Region, "/@") {
		return fmt.Errorf("scope %q: want a 12-digit account and a region", s.Key())
	}
	return nil
}

// ParseScope reads a Key back.
func ParseScope(key string) (Scope, error) {
	if key == "sandbox" {
		return SandboxScope, nil
	}
	rest, endpoint, _ := strings.Cut(key, "@")
	account, region, ok := strings.Cut(rest, "/")
	s := Scope{Account: account, Region: region, Endpoint: endpoint}
	if !ok {
		return Scope{}, fmt.Errorf("scope %q: want sandbox or ACCOUNT/REGION", key)
	}
	return s, s.Validate()
}
