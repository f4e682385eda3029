package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// runtimeProfile is how functions of one runtime usually look.
type runtimeProfile struct {
	runtime string
	// handler formats the handler from the service and action names.
	handler          func(service, action string) string
	minCode, maxCode int64 // deployment package bytes
	weight           int   // how often it appears in the account
}

var runtimeProfiles = []runtimeProfile{
	{"python3.12", func(_, _ string) string { return "app.lambda_handler" }, 2_000, 12_000_000, 5},
	{"python3.13", func(_, _ string) string { return "lambda_function.lambda_handler" }, 1_500, 9_000_000, 3},
	{"nodejs22.x", func(_, _ string) string { return "index.handler" }, 3_000, 6_000_000, 5},
	{"nodejs20.x", func(_, a string) string { return "src/handlers/" + a + ".handler" }, 3_000, 4_000_000, 2},
	{"java21", func(s, a string) string {
		return "com.example." + strings.ReplaceAll(s, "-", "") + "." + camel(a) + "Handler::handleRequest"
	}, 9_000_000, 42_000_000, 2},
	{"provided.al2023", func(_, _ string) string { return "bootstrap" }, 4_000_000, 16_000_000, 3},
	{"dotnet8", func(s, a string) string {
		return camel(s) + "::" + camel(s) + "." + camel(a) + "Function::FunctionHandler"
	}, 600_000, 8_000_000, 2},
	{"ruby3.3", func(_, _ string) string { return "function.handler" }, 2_000, 3_000_000, 1},
}

var services = []string{
	"orders", "payments", "inventory", "users", "notifications", "billing", "search", "reports",
	"auth", "images", "email", "shipping", "catalog", "reviews", "analytics", "audit",
	"cart", "checkout", "loyalty", "pricing", "webhooks", "exports", "media", "fraud",
}

var actions = []string{
	"api", "worker", "processor", "consumer", "scheduler", "resizer", "exporter", "sync",
	"validator", "notifier", "indexer", "aggregator", "cleanup", "ingest", "authorizer", "stream-handler",
}

var (
	memorySizes  = []int{128, 128, 256, 256, 512, 512, 1024, 1024, 1536, 2048, 3008, 4096, 10240}
	timeouts     = []int{3, 3, 5, 6, 10, 15, 30, 30, 60, 120, 300, 900}
	stages       = []string{"prod", "staging", "dev"}
	reservations = []int{1, 2, 5, 10, 20, 25, 50}
)

// generator draws plausible functions from the sandbox's seeded source.
type generator struct {
	s    *Sandbox
	now  time.Time
	used map[string]bool
	// stacks gathers the stacks the functions are deployed in, by name.
	stacks map[string]*stackPlan
}

func (g *generator) pick(n int) int { return g.s.rng.IntN(n) }

// function draws one function with a name no other function has.
func (g *generator) function() *function {
	service, action := services[g.pick(len(services))], actions[g.pick(len(actions))]
	d := g.deployment(service, action)
	name := g.uniqueName(d.name)
	profile := g.profile()
	cfg := functionConfig{
		Revision: 1, RevisionID: g.s.newUUID(),
		Runtime: profile.runtime, Handler: profile.handler(service, action),
		Role:        fmt.Sprintf("arn:aws:iam::%s:role/service-role/%s-role-%s", g.s.acct.id, service, strings.ToLower(g.s.cfnSuffix()[:8])),
		Description: fmt.Sprintf("%s %s", camel(service), strings.ReplaceAll(action, "-", " ")),
		MemorySize:  memorySizes[g.pick(len(memorySizes))], Timeout: timeouts[g.pick(len(timeouts))],
		Architecture: "x86_64", EphemeralStorage: 512,
		CodeSize:     profile.minCode + g.s.rng.Int64N(profile.maxCode-profile.minCode),
		CodeSha256:   codeSha(name, 1),
		LastModified: g.now.Add(-time.Duration(1+g.pick(200*24)) * time.Hour),
		Environment:  g.environment(service),
	}
	if g.pick(3) == 0 {
		cfg.Architecture = "arm64"
	}
	if g.pick(8) == 0 {
		cfg.EphemeralStorage = 1024 * (1 + g.pick(10))
	}
	return &function{
		name: name, applied: cfg, code: entryOf(cfg), aliases: map[string]*alias{}, provisioned: map[int]*provisionedConfig{},
		tags: g.tags(service, d, name),
	}
}

// deployment is how a generated function was deployed: its name, and the
// stack and logical ID it has when a tool deployed it through CloudFormation.
type deployment struct {
	name, stack, logicalID, stage string
	tool                          deployTool
}

// deployment draws one of three styles: a SAM stack (CloudFormation's
// physical name, stack-logicalID-suffix), the Serverless Framework
// (service-stage-function, in stack service-stage, whose logical IDs spell a
// dash "Dash"), and by hand.
func (g *generator) deployment(service, action string) deployment {
	switch g.pick(3) {
	case 0:
		logical := camel(action) + "Function"
		return deployment{name: fmt.Sprintf("%s-service-%s-%s", service, logical, g.s.cfnSuffix()),
			stack: service + "-service", logicalID: logical, tool: deployedBySAM}
	case 1:
		stage := stages[g.pick(len(stages))]
		return deployment{name: fmt.Sprintf("%s-%s-%s", service, stage, action), stack: service + "-" + stage,
			logicalID: serverlessName(action) + "LambdaFunction", stage: stage, tool: deployedByServerless}
	}
	return deployment{name: service + "-" + action}
}

// tags are what the deployment leaves on the function; a stack's function
// joins the stack's plan.
func (g *generator) tags(service string, d deployment, name string) map[string]string {
	if d.tool == deployedByHand {
		return map[string]string{"team": service, "managed-by": "terraform"}
	}
	plan := g.stacks[d.stack]
	if plan == nil {
		plan = &stackPlan{name: d.stack, tool: d.tool, logical: map[string]bool{}}
		g.stacks[d.stack] = plan
	}
	tags := g.s.acct.stackTags(d.stack, plan.join(name, d.logicalID))
	tags["team"] = service
	if d.tool == deployedBySAM {
		tags["lambda:createdBy"] = "SAM"
	} else {
		tags["STAGE"] = d.stage
	}
	return tags
}

// serverlessName is the Serverless Framework's normalised function name:
// "stream-handler" becomes "StreamDashhandler".
func serverlessName(function string) string {
	s := strings.ReplaceAll(function, "-", "Dash")
	return strings.ToUpper(s[:1]) + s[1:]
}

func (g *generator) uniqueName(name string) string {
	candidate := name
	for i := 2; g.used[candidate]; i++ {
		candidate = name + "-" + strconv.Itoa(i)
	}
	g.used[candidate] = true
	return candidate
}

func (g *generator) profile() runtimeProfile {
	total := 0
	for _, p := range runtimeProfiles {
		total += p.weight
	}
	n := g.pick(total)
	for _, p := range runtimeProfiles {
		if n < p.weight {
			return p
		}
		n -= p.weight
	}
	return runtimeProfiles[0]
}

// environment gives some functions ordinary settings. Like any function's
// environment they are treated as secrets: returned by the API, never logged.
func (g *generator) environment(service string) map[string]string {
	if g.pick(2) == 0 {
		return nil
	}
	env := map[string]string{"LOG_LEVEL": []string{"INFO", "WARN", "DEBUG"}[g.pick(3)]}
	if g.pick(2) == 0 {
		env["TABLE_NAME"] = service + "-table-" + stages[g.pick(len(stages))]
	}
	return env
}

// camel turns "stream-handler" into "StreamHandler".
func camel(s string) string {
	parts := strings.Split(s, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}
