package sandbox

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"
)

// seededFunctions is how many functions besides the lab's product API the
// account starts with: enough to make the list worth filtering and to page
// ListFunctions (50 a page).
const seededFunctions = 64

// ProductFunctionPrefix starts the name of the lab's function; the rest is a
// CloudFormation-style suffix drawn from the seed.
const ProductFunctionPrefix = "product-api-ProductApiFunction-"

// seed fills the account: the lab's stack first, then the generated functions,
// then reserved concurrency, versions, aliases and provisioned concurrency on
// some of them, all drawn from the seed.
func (s *Sandbox) seed(now time.Time) {
	product := s.seedProductAPI(now)
	s.acct.functions[product.name] = product
	s.productFunction = product.name
	s.acct.stacks[productStackName] = s.productStack(product, product.tags[stackIDTag])
	g := generator{s: s, now: now, used: map[string]bool{product.name: true}, stacks: map[string]*stackPlan{}}
	for range seededFunctions + s.cfg.ExtraFunctions {
		f := g.function()
		s.acct.functions[f.name] = f
	}
	for _, name := range s.acct.sortedNames() {
		if name != product.name {
			g.decorate(s.acct.functions[name])
		}
	}
	s.buildStacks(g.stacks)
}

// productStackName is the lab's stack.
const productStackName = "product-api"

// ProductFunctionName is the name of the lab's products function,
// product-api-ProductApiFunction-<suffix>.
func (s *Sandbox) ProductFunctionName() string { return s.productFunction }

// seedProductAPI is the lab's function as its CloudFormation stack deploys it:
// Python 3.12, 128 MB, 3 s, x86_64, behind API Gateway, over a DynamoDB table.
func (s *Sandbox) seedProductAPI(now time.Time) *function {
	suffix := s.cfnSuffix()
	name := ProductFunctionPrefix + suffix
	stackID := fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/%s", s.acct.region, s.acct.id, productStackName, s.newUUID())
	cfg := functionConfig{
		Revision: 1, RevisionID: s.newUUID(),
		Runtime: "python3.12", Handler: "app.lambda_handler",
		Role:        fmt.Sprintf("arn:aws:iam::%s:role/product-api-ProductApiFunctionRole-%s", s.acct.id, s.cfnSuffix()),
		Description: "Products API: create, list, get and delete products in DynamoDB (API Gateway proxy integration)",
		MemorySize:  128, Timeout: 3, Architecture: "x86_64", EphemeralStorage: 512,
		Environment: map[string]string{
			"TABLE_NAME":              "product-api-ProductsTable-" + s.cfnSuffix(),
			"POWERTOOLS_SERVICE_NAME": "products",
		},
		CodeSize: 4812, CodeSha256: codeSha(name, 1), LastModified: now.Add(-26 * time.Hour),
	}
	return &function{
		name: name, applied: cfg, code: entryOf(cfg), aliases: map[string]*alias{}, provisioned: map[int]*provisionedConfig{},
		tags: map[string]string{
			stackNameTag:       productStackName,
			stackIDTag:         stackID,
			logicalIDTag:       "ProductApiFunction",
			"lambda:createdBy": "SAM",
		},
	}
}

const cfnAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// cfnSuffix is a 12-character suffix like the ones CloudFormation appends to
// physical resource names.
func (s *Sandbox) cfnSuffix() string {
	b := make([]byte, 12)
	for i := range b {
		b[i] = cfnAlphabet[s.rng.IntN(len(cfnAlphabet))]
	}
	return string(b)
}

func codeSha(name string, revision int) string {
	sum := sha256.Sum256([]byte(name + "#" + strconv.Itoa(revision)))
	return base64.StdEncoding.EncodeToString(sum[:])
}
