package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// connection is where the console goes and why.
type connection struct {
	opts  aws.Options
	where tune.Where
	stop  func()
	// hint follows every setup error when the account was chosen because a
	// configuration was in sight: what decided it and how to choose the
	// sandbox instead.
	hint string
}

// connect chooses the mode: the sandbox when asked for, or when no AWS
// configuration is in sight; otherwise the account the flags and the SDK's
// chain name (README, "Which account"). In sandbox mode it starts the
// sandbox on loopback and writes its runtime file.
func (f *consoleFlags) connect(ctx context.Context, log *slog.Logger) (connection, error) {
	c := connection{opts: aws.Options{Profile: f.profile, Region: f.region, EndpointURL: f.endpointURL, ReadOnly: f.readOnly, Logger: log},
		stop: func() {}}
	chosen := f.accountFlag()
	if f.sandbox && (chosen != "" || f.endpointURL != "") {
		return c, exitError{code: 1, msg: "--sandbox cannot be combined with --aws, --profile, --region or --endpoint-url"}
	}
	sighting := aws.ConfigInSight(os.Getenv, homeDir())
	switch {
	case f.endpointURL != "":
		c.opts.StaticCredentials = chosen == "" && !sighting.Found()
		c.where = tune.Where{Endpoint: f.endpointURL, Profile: f.profile, Why: "--endpoint-url"}
		return c, nil
	case chosen != "":
		c.where = tune.Where{Profile: f.profile, Why: chosen}
		return c, nil
	case !f.sandbox && sighting.Found():
		c.where = tune.Where{Profile: f.profile, Why: sighting.String()}
		c.hint = fmt.Sprintf("\nlambdatune chose a real AWS account because %s; run `lambdatune --sandbox` for the embedded sandbox.", sighting)
		return c, nil
	}
	return f.embedded(ctx, c, log)
}

// accountFlag names the flag that asks for a real account, or "".
func (f *consoleFlags) accountFlag() string {
	switch {
	case f.profile != "":
		return "--profile " + f.profile
	case f.region != "":
		return "--region " + f.region
	case f.aws:
		return "--aws"
	}
	return ""
}

// embedded starts the embedded sandbox and points c at it.
func (f *consoleFlags) embedded(ctx context.Context, c connection, log *slog.Logger) (connection, error) {
	where, stop, err := f.startSandbox(ctx, log)
	if err != nil {
		return c, err
	}
	where.Why = "embedded, no AWS configuration found"
	if f.sandbox {
		where.Why = "embedded"
	}
	c.where, c.stop = where, stop
	c.opts.EndpointURL, c.opts.StaticCredentials, c.opts.Region = where.Endpoint, true, aws.SandboxRegion
	return c, nil
}

func (f *consoleFlags) startSandbox(ctx context.Context, log *slog.Logger) (tune.Where, func(), error) {
	if f.accountConcurrency < 1 {
		return tune.Where{}, nil, exitError{code: 1, msg: fmt.Sprintf("--account-concurrency %d: an account's concurrency limit is at least 1", f.accountConcurrency)}
	}
	cfg := sandbox.Config{AccountConcurrency: f.accountConcurrency}
	if f.fast {
		cfg = sandbox.Fast()
		cfg.AccountConcurrency = f.accountConcurrency
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		return tune.Where{}, nil, exitError{code: 1, msg: "sandbox: " + err.Error()}
	}
	srv, err := sandbox.Start(ctx, sb, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		return tune.Where{}, nil, fmt.Errorf("start the embedded sandbox: %w", err)
	}
	log.Info("embedded sandbox started", "endpoint", srv.EndpointURL, "products_api", srv.APIURL)
	running := RunningSandbox{PID: os.Getpid(), Kind: kindConsole, Endpoint: srv.EndpointURL, ProductsAPI: srv.APIURL,
		Function: sb.ProductFunctionName(), Started: time.Now().UTC()}
	remove := announce(running, func(err error) {
		log.Warn("other lambdatune commands will not find this sandbox", "error", err)
	})
	where := tune.Where{Sandbox: true, Endpoint: srv.EndpointURL, ProductsAPI: srv.APIURL, ProductsFunction: sb.ProductFunctionName()}
	return where, func() { remove(); _ = srv.Close() }, nil
}

// announce writes the runtime file through which `lambdatune set`, `load`
// and `sandbox env` find this sandbox. Without one the sandbox still runs;
// warn says why the others cannot find it.
func announce(s RunningSandbox, warn func(error)) (remove func()) {
	remove, err := writeRuntimeFile(s)
	if err != nil {
		warn(err)
		return func() {}
	}
	return remove
}

// recognise is where c leads after the first contact: a lambdatune sandbox
// behind --endpoint-url is a sandbox (the console then shows its 1-second
// metrics view), and its products API is known when it runs on this machine.
func (c connection) recognise(client *aws.Client) tune.Where {
	w := c.where
	if w.Sandbox || !client.IsSandbox() {
		return w
	}
	w.Sandbox, w.Why = true, "a lambdatune sandbox at --endpoint-url"
	for _, s := range readRuntimeFiles() {
		if s.Endpoint == w.Endpoint {
			w.ProductsAPI, w.ProductsFunction = s.ProductsAPI, s.Function
		}
	}
	return w
}
