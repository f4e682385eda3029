package sandbox

import (
	"regexp"
	"strconv"
	"strings"
)

// functionNamePattern is the FunctionName pattern of the Lambda API: a name, a
// partial ARN or a full ARN, each optionally with a :qualifier.
const functionNamePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`

var functionNameRE = regexp.MustCompile(`^` + functionNamePattern + `$`)
var qualifierRE = regexp.MustCompile(`^(\$LATEST|[a-zA-Z0-9-_]+)$`)
var aliasNameRE = regexp.MustCompile(`^[a-zA-Z0-9-_]+$`)
var versionNumberRE = regexp.MustCompile(`^[0-9]+$`)

// functionRef is a FunctionName taken apart.
type functionRef struct {
	name      string
	qualifier string // "" when none was given
	// account and region are the ARN's, or empty for a plain name.
	account, region string
}

// parseFunctionName splits a name or (partial) ARN and its qualifier, and
// reconciles it with a separate Qualifier parameter.
func parseFunctionName(raw, qualifierParam string) (functionRef, *apiError) {
	m := functionNameRE.FindStringSubmatch(raw)
	if m == nil || len(raw) > 170 {
		return functionRef{}, errValidation(violation{quote(raw), "functionName",
			"Member must satisfy regular expression pattern: " + functionNamePattern})
	}
	ref := functionRef{
		name:      m[7],
		qualifier: m[9],
		account:   strings.TrimSuffix(m[5], ":"),
		region:    strings.TrimSuffix(m[3], ":"),
	}
	if qualifierParam == "" {
		return ref, nil
	}
	if !qualifierRE.MatchString(qualifierParam) {
		return functionRef{}, errValidation(violation{quote(qualifierParam), "qualifier",
			`Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)`})
	}
	if ref.qualifier != "" && ref.qualifier != qualifierParam {
		return functionRef{}, errInvalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
	}
	ref.qualifier = qualifierParam
	return ref, nil
}

// isVersionNumber tells a published-version qualifier from an alias name.
func isVersionNumber(qualifier string) bool { return versionNumberRE.MatchString(qualifier) }

func versionNumber(qualifier string) int {
	n, err := strconv.Atoi(qualifier)
	if err != nil {
		return -1
	}
	return n
}

// functionARN is the unqualified ARN of a function of this account.
func (a *account) functionARN(name string) string {
	return "arn:aws:lambda:" + a.region + ":" + a.id + ":function:" + name
}

// qualifiedARN is the ARN of a version or alias.
func (a *account) qualifiedARN(name, qualifier string) string {
	if qualifier == "" {
		return a.functionARN(name)
	}
	return a.functionARN(name) + ":" + qualifier
}

// refARN is the ARN a reference names, in the account and region it names.
func (a *account) refARN(ref functionRef) string {
	acct, region := a.id, a.region
	if ref.account != "" {
		acct = ref.account
	}
	if ref.region != "" {
		region = ref.region
	}
	arn := "arn:aws:lambda:" + region + ":" + acct + ":function:" + ref.name
	if ref.qualifier != "" {
		arn += ":" + ref.qualifier
	}
	return arn
}

// lookup finds the function a reference names. A reference to another
// account or region finds nothing, as it would in this account on AWS.
func (a *account) lookup(ref functionRef) (*function, *apiError) {
	f := a.functions[ref.name]
	foreign := (ref.account != "" && ref.account != a.id) || (ref.region != "" && ref.region != a.region)
	if f == nil || foreign {
		unqualified := ref
		unqualified.qualifier = ""
		return nil, errFunctionNotFound(a.refARN(unqualified))
	}
	return f, nil
}

// errQualifiedNotAllowed answers a qualified name given to a function-level
// operation.
func errQualifiedNotAllowed() *apiError {
	return errInvalidParameter("This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.")
}

// lookupUnqualified finds the function for an operation that applies to the
// whole function (concurrency, versions, aliases, configuration updates).
func (a *account) lookupUnqualified(raw string) (*function, *apiError) {
	ref, err := parseFunctionName(raw, "")
	if err != nil {
		return nil, err
	}
	if ref.qualifier != "" {
		return nil, errQualifiedNotAllowed()
	}
	return a.lookup(ref)
}
