package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// openJournal opens the journal in stateDir (default: the XDG state
// directory). Every command that records or reads runs and changes opens it
// here. For a session that applies changes, one line then journals them:
//
//	session.SetRecorder(journal.RecorderFor(session))
func openJournal(ctx context.Context, dir string, log *slog.Logger) (*tune.Journal, error) {
	if dir == "" {
		dir = stateDir()
	}
	j, err := tune.OpenJournal(ctx, tune.JournalPath(dir), tune.JournalOptions{Logger: log})
	if err != nil {
		return nil, exitError{code: 1, msg: err.Error()}
	}
	return j, nil
}

// accountFlags choose an account the way `set` does, plus --sandbox for the
// embedded sandbox's sessions and --account to name the account without
// asking AWS.
type accountFlags struct {
	profile, region, endpointURL, account string
	sandbox                               bool
}

// scope resolves the flags to a journal scope. With no flag it is the
// sandbox's when a lambdatune sandbox runs or no AWS configuration is in
// sight, as `set` chooses. Every lambdatune sandbox (embedded or standalone,
// at --endpoint-url too) shares the one sandbox scope. The account is learned
// from a function's ARN unless --account names it.
func (f accountFlags) scope(ctx context.Context) (tune.Scope, *aws.Client, error) {
	wantsAccount := f.profile != "" || f.region != "" || f.endpointURL != "" || f.account != ""
	if f.sandbox && wantsAccount {
		return tune.Scope{}, nil, exitError{code: 1, msg: "--sandbox cannot be combined with --profile, --region, --endpoint-url or --account"}
	}
	if f.sandbox || (!wantsAccount && sandboxChosen()) {
		return tune.SandboxScope, nil, nil
	}
	client, err := aws.New(ctx, aws.Options{Profile: f.profile, Region: f.region, EndpointURL: f.endpointURL, ReadOnly: true,
		StaticCredentials: f.endpointURL != "" && f.profile == "" && isLoopbackURL(f.endpointURL)})
	if err != nil {
		return tune.Scope{}, nil, exitError{code: 1, msg: aws.Explain(err)}
	}
	scope := tune.ScopeOf(tune.Where{AccountID: f.account, Region: client.Region(), Endpoint: f.endpointURL})
	if scope.Account == "" {
		if scope.Account, err = accountOf(ctx, client); err != nil {
			return tune.Scope{}, nil, err
		}
	}
	if client.IsSandbox() {
		return tune.SandboxScope, client, nil
	}
	return scope, client, scope.Validate()
}

// sandboxChosen: with no account flag, a running lambdatune sandbox, or no
// AWS configuration in sight, means the sandbox.
func sandboxChosen() bool {
	if _, ok := FindSandbox(); ok {
		return true
	}
	return !aws.ConfigInSight(os.Getenv, homeDir()).Found()
}

// accountOf learns the account from the first function's ARN: lambdatune
// never asks for an identity it may not be allowed to read.
func accountOf(ctx context.Context, client *aws.Client) (string, error) {
	page, err := client.ListFunctionsPage(ctx, "")
	if err != nil {
		return "", exitError{code: 1, msg: aws.Explain(err)}
	}
	if len(page.Functions) == 0 {
		return "", exitError{code: 1, msg: fmt.Sprintf("no functions in %s to learn the account from: pass --account ID", client.Region())}
	}
	return aws.AccountIDFromARN(page.Functions[0].ARN), nil
}
