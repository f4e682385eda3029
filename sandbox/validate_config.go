package sandbox

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// The configuration checks AWS makes on UpdateFunctionConfiguration,
// PublishVersion and the alias operations, in AWS's words (sources in
// docs/sandbox-model.md, "Validation"). Constraint violations of the API
// model are ValidationExceptions gathered into one message; the checks
// Lambda makes after them (reserved keys, the 4 KB limit) are
// InvalidParameterValueExceptions.

const (
	maxDescriptionLength = 256
	maxHandlerLength     = 128
)

var (
	handlerPattern     = regexp.MustCompile(`^[^\s]+$`)
	environmentKeyExpr = `[a-zA-Z]([a-zA-Z0-9_])+`
	environmentKey     = regexp.MustCompile(`^` + environmentKeyExpr + `$`)
)

// reservedEnvironmentKeys are the variables Lambda's runtimes set, which a
// function's configuration may not (the Lambda Developer Guide's "Defined
// runtime environment variables"). Keys starting with "_" (_HANDLER,
// _X_AMZN_TRACE_ID) already fail the key pattern.
var reservedEnvironmentKeys = []string{
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
	"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
	"AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
}

// tooLong is the model's length constraint, counted in characters.
func tooLong(value, field string, max int) violation {
	return violation{quote(value), field, fmt.Sprintf("Member must have length less than or equal to %d", max)}
}

// descriptionViolations checks a Description (functions, versions, aliases).
func descriptionViolations(description *string) []violation {
	if description != nil && utf8.RuneCountInString(*description) > maxDescriptionLength {
		return []violation{tooLong(*description, "description", maxDescriptionLength)}
	}
	return nil
}

// handlerViolations checks a Handler: no whitespace, at most 128 characters.
func handlerViolations(handler *string) []violation {
	if handler == nil {
		return nil
	}
	var out []violation
	if utf8.RuneCountInString(*handler) > maxHandlerLength {
		out = append(out, tooLong(*handler, "handler", maxHandlerLength))
	}
	if !handlerPattern.MatchString(*handler) {
		out = append(out, violation{quote(*handler), "handler", `Member must satisfy regular expression pattern: [^\s]+`})
	}
	return out
}

// environmentViolations checks the variables' keys against the model's
// pattern. The value is left out of the message: it would carry the
// variables, which are secrets.
func environmentViolations(vars map[string]string) []violation {
	for key := range vars {
		if !environmentKey.MatchString(key) {
			return []violation{{"", "environment.variables",
				"Map keys must satisfy constraint: [Member must satisfy regular expression pattern: " + environmentKeyExpr + "]"}}
		}
	}
	return nil
}

// checkEnvironment makes Lambda's own checks of valid keys: none reserved,
// and the variables as JSON within 4 KB.
func checkEnvironment(vars map[string]string) *apiError {
	var reserved []string
	for key := range vars {
		if slices.Contains(reservedEnvironmentKeys, key) {
			reserved = append(reserved, key)
		}
	}
	if len(reserved) > 0 {
		sort.Strings(reserved)
		return errInvalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s",
			strings.Join(reserved, ", "))
	}
	if environmentSize(vars) > maxEnvironmentBytes {
		return errInvalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.")
	}
	return nil
}

// environmentSize measures variables the way the 4 KB limit counts them: the
// variables as a JSON object, which AWS quotes as "String measured: {…}".
func environmentSize(vars map[string]string) int {
	data, _ := json.Marshal(vars)
	return len(data)
}
