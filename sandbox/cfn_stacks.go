package sandbox

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/internal/uuid"
)

// The account's CloudFormation stacks: the lab's product-api, and one stack
// per SAM or Serverless Framework application the generated functions
// belong to. Each function of a stack carries CloudFormation's tags
// (aws:cloudformation:stack-name, stack-id, logical-id), so a tool can go
// from a function to its stack and read the stack's outputs, as on AWS
// (D) [S87].
// Stacks are fixed at seeding: deleting a function leaves its stack as it
// was, as deleting a resource outside CloudFormation does.

// stack is one CloudFormation stack, as DescribeStacks shows it.
type stack struct {
	name, id, description string
	changeSetID           string
	capabilities          []string
	created, updated      time.Time
	outputs               []stackOutput
}

// stackOutput is one of a stack's outputs.
type stackOutput struct {
	key, value, description, exportName string
	// productsAPI marks the lab's ProductApiUrl, whose value is the products
	// front's URL: known only once Start serves the front.
	productsAPI bool
}

// deployTool is what deployed a generated function.
type deployTool int

const (
	deployedByHand       deployTool = iota // the console or Terraform: no stack
	deployedBySAM                          // sam deploy: stack <service>-service
	deployedByServerless                   // serverless deploy: stack <service>-<stage>
)

// The stack tags CloudFormation sets on every resource it creates.
const (
	stackNameTag = "aws:cloudformation:stack-name"
	stackIDTag   = "aws:cloudformation:stack-id"
	logicalIDTag = "aws:cloudformation:logical-id"
)

// stackPlan gathers a generated stack's functions while the account is
// drawn; buildStacks turns the plans into stacks once every function is
// final (versions published).
type stackPlan struct {
	name    string
	tool    deployTool
	members []stackMember
	logical map[string]bool
}

type stackMember struct{ function, logicalID string }

// join adds function to the plan under logicalID, numbered when the stack
// already has a resource of that name, and returns the ID it got.
func (p *stackPlan) join(function, logicalID string) string {
	id := logicalID
	for i := 2; p.logical[id]; i++ {
		id = fmt.Sprintf("%s%d", logicalID, i)
	}
	p.logical[id] = true
	p.members = append(p.members, stackMember{function, id})
	return id
}

// stackARN is a stack's id. A generated stack's id comes from its name, not
// from the seeded source, so that adding stacks left every other seeded
// value as it was.
func (a *account) stackARN(name string) string {
	sum := sha256.Sum256([]byte(a.id + "/" + a.region + "/" + name))
	id := uuid.FromBits(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16]))
	return fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/%s", a.region, a.id, name, id)
}

// stackTags are the tags CloudFormation puts on a resource of the stack.
func (a *account) stackTags(stackName, logicalID string) map[string]string {
	return map[string]string{stackNameTag: stackName, stackIDTag: a.stackARN(stackName), logicalIDTag: logicalID}
}

// productStack is the lab's stack as its SAM template declares it: the
// API's URL, the function's ARN and its implicit role.
func (s *Sandbox) productStack(f *function, id string) *stack {
	created := f.applied.LastModified.Add(-4 * time.Minute)
	return &stack{
		name: "product-api", id: id, description: "Sample SAM Template for product-api",
		changeSetID:  s.changeSetARN("product-api", created),
		capabilities: []string{"CAPABILITY_IAM"}, created: created, updated: f.applied.LastModified,
		outputs: []stackOutput{
			{key: "ProductApiUrl", description: "API Gateway endpoint URL for Prod stage for Product API function", productsAPI: true},
			{key: "ProductApiFunction", value: s.acct.functionARN(f.name), description: "Product API Lambda Function ARN"},
			{key: "ProductApiFunctionIamRole", value: f.applied.Role, description: "Implicit IAM Role created for Product API function"},
		},
	}
}

// changeSetARN is the change set sam deploy named after the time it ran.
func (s *Sandbox) changeSetARN(stackName string, at time.Time) string {
	name := fmt.Sprintf("samcli-deploy%d", at.Unix())
	sum := sha256.Sum256([]byte(stackName + "/" + name))
	id := uuid.FromBits(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16]))
	return fmt.Sprintf("arn:aws:cloudformation:%s:%s:changeSet/%s/%s", s.acct.region, s.acct.id, name, id)
}

// buildStacks makes the planned stacks, in name order.
func (s *Sandbox) buildStacks(plans map[string]*stackPlan) {
	names := make([]string, 0, len(plans))
	for name := range plans {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s.acct.stacks[name] = s.buildStack(plans[name])
	}
}

func (s *Sandbox) buildStack(p *stackPlan) *stack {
	st := &stack{name: p.name, id: s.acct.stackARN(p.name)}
	for _, m := range p.members {
		f := s.acct.functions[m.function]
		st.span(f)
		st.outputs = append(st.outputs, s.memberOutputs(p, m, f)...)
	}
	if p.tool == deployedByServerless {
		st.description = "The AWS CloudFormation template for this Serverless application"
		st.capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"}
		st.outputs = append(st.outputs, stackOutput{key: "ServerlessDeploymentBucketName",
			value: deploymentBucket(p.name), exportName: "sls-" + p.name + "-ServerlessDeploymentBucketName"})
		return st
	}
	st.description = "Sample SAM Template for " + p.name
	st.capabilities = []string{"CAPABILITY_IAM"}
	st.changeSetID = s.changeSetARN(p.name, st.updated)
	return st
}

// span widens the stack's lifetime to cover f and its versions: the stack
// was created before any of them and last updated with the newest.
func (st *stack) span(f *function) {
	times := []time.Time{f.applied.LastModified}
	for _, v := range f.publishedVersions() {
		times = append(times, v.config.LastModified)
	}
	for _, t := range times {
		if created := t.Add(-4 * time.Minute); st.created.IsZero() || created.Before(st.created) {
			st.created = created
		}
		if t.After(st.updated) {
			st.updated = t
		}
	}
}

// memberOutputs are the outputs each tool's template declares for a function:
// SAM's sample template exports the function's ARN and its implicit role;
// the Serverless Framework exports the newest published version's ARN.
func (s *Sandbox) memberOutputs(p *stackPlan, m stackMember, f *function) []stackOutput {
	arn := s.acct.functionARN(f.name)
	if p.tool == deployedBySAM {
		label := strings.TrimSuffix(m.logicalID, "Function")
		return []stackOutput{
			{key: m.logicalID, value: arn, description: label + " Lambda Function ARN"},
			{key: m.logicalID + "IamRole", value: f.applied.Role, description: "Implicit IAM Role created for " + label + " function"},
		}
	}
	versions := f.publishedVersions()
	if len(versions) == 0 {
		return nil
	}
	key := m.logicalID + "QualifiedArn"
	return []stackOutput{{key: key, value: fmt.Sprintf("%s:%d", arn, versions[len(versions)-1].number),
		description: "Current Lambda function version", exportName: "sls-" + p.name + "-" + key}}
}

// deploymentBucket is the bucket the Serverless Framework uploads to.
func deploymentBucket(stackName string) string {
	sum := sha256.Sum256([]byte(stackName))
	suffix := make([]byte, 12)
	for i := range suffix {
		suffix[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[int(sum[i])%36]
	}
	return strings.ToLower(stackName) + "-serverlessdeploymentbucket-" + string(suffix)
}

// findStack finds a stack by name or by id.
func (a *account) findStack(nameOrID string) *stack {
	if st := a.stacks[nameOrID]; st != nil {
		return st
	}
	for _, st := range a.stacks {
		if st.id == nameOrID {
			return st
		}
	}
	return nil
}
