package sandbox

import (
	"encoding/json"
	"maps"
	"regexp"
)

// Limits of UpdateFunctionConfiguration (docs/sandbox-model.md#the-control-plane).
// (D) [S1], [S2], [S6], [S7]
const (
	minMemory, maxMemory       = 128, 10240
	minTimeout, maxTimeout     = 1, 900
	minEphemeral, maxEphemeral = 512, 10240
	maxEnvironmentBytes        = 4096
)

// updateConfigurationInput is the part of UpdateFunctionConfiguration the
// sandbox models. The other members are recognised so that a request using
// them is refused in words instead of being silently ignored.
type updateConfigurationInput struct {
	MemorySize       *int
	Timeout          *int
	Description      *string
	Handler          *string
	Runtime          *string
	Role             *string
	Environment      *struct{ Variables map[string]string }
	EphemeralStorage *struct{ Size *int }
	RevisionId       *string

	VpcConfig, Layers, DeadLetterConfig, TracingConfig, KMSKeyArn, ImageConfig,
	FileSystemConfigs, SnapStart, LoggingConfig json.RawMessage
}

// UpdateFunctionConfiguration: PUT /2015-03-31/functions/{name}/configuration.
// The new configuration shows at once with LastUpdateStatus InProgress and is
// applied to invocations when the update completes.
func (s *Sandbox) updateFunctionConfiguration(req request) (response, *apiError) {
	var in updateConfigurationInput
	if err := req.decode(&in); err != nil {
		return response{}, err
	}
	if err := in.validate(); err != nil {
		return response{}, err
	}
	f, err := s.changeableLatest(req, in.RevisionId)
	if err != nil {
		return response{}, err
	}
	next := in.apply(f.applied)
	next.Revision = f.applied.Revision + 1
	next.RevisionID = s.newUUID()
	next.LastModified = req.now
	f.pending = &next
	f.pendingUntil = req.now.Add(s.updateDelay())
	return ok(s.latestView(f, "").fullJSON())
}

var roleARNPattern = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)

func (in updateConfigurationInput) validate() *apiError {
	if field := in.unsupportedField(); field != "" {
		return errInvalidParameter("The lambdatune sandbox does not model %s; it supports MemorySize, Timeout, Description, Handler, Runtime, Role, Environment and EphemeralStorage.", field)
	}
	if v := in.violations(); len(v) > 0 {
		return errValidation(v...)
	}
	if in.Runtime != nil && !isLambdaRuntime(*in.Runtime) {
		return errUnknownRuntime(*in.Runtime)
	}
	if in.Environment != nil {
		return checkEnvironment(in.Environment.Variables)
	}
	return nil
}

// violations gathers the model's constraint violations, as one
// ValidationException reports them.
func (in updateConfigurationInput) violations() []violation {
	v := in.rangeViolations()
	v = append(v, descriptionViolations(in.Description)...)
	v = append(v, handlerViolations(in.Handler)...)
	if in.Environment != nil {
		v = append(v, environmentViolations(in.Environment.Variables)...)
	}
	if in.Role != nil && !roleARNPattern.MatchString(*in.Role) {
		v = append(v, violation{quote(*in.Role), "role",
			`Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`})
	}
	return v
}

func (in updateConfigurationInput) unsupportedField() string {
	fields := []struct {
		name string
		raw  json.RawMessage
	}{
		{"VpcConfig", in.VpcConfig}, {"Layers", in.Layers}, {"DeadLetterConfig", in.DeadLetterConfig},
		{"TracingConfig", in.TracingConfig}, {"KMSKeyArn", in.KMSKeyArn}, {"ImageConfig", in.ImageConfig},
		{"FileSystemConfigs", in.FileSystemConfigs}, {"SnapStart", in.SnapStart}, {"LoggingConfig", in.LoggingConfig},
	}
	for _, f := range fields {
		if len(f.raw) > 0 && string(f.raw) != "null" {
			return f.name
		}
	}
	return ""
}

// rangeViolations checks the numeric members in the order AWS reports them.
func (in updateConfigurationInput) rangeViolations() []violation {
	var out []violation
	check := func(v *int, field string, lo, hi int) {
		switch {
		case v == nil:
		case *v < lo:
			out = append(out, tooLow(*v, field, lo))
		case *v > hi:
			out = append(out, tooHigh(*v, field, hi))
		}
	}
	check(in.MemorySize, "memorySize", minMemory, maxMemory)
	check(in.Timeout, "timeout", minTimeout, maxTimeout)
	if in.EphemeralStorage != nil {
		if in.EphemeralStorage.Size == nil {
			out = append(out, missing("ephemeralStorage.size"))
		}
		check(in.EphemeralStorage.Size, "ephemeralStorage.size", minEphemeral, maxEphemeral)
	}
	return out
}

// apply returns c changed by the input's members.
func (in updateConfigurationInput) apply(c functionConfig) functionConfig {
	setInt(&c.MemorySize, in.MemorySize)
	setInt(&c.Timeout, in.Timeout)
	setString(&c.Description, in.Description)
	setString(&c.Handler, in.Handler)
	setString(&c.Runtime, in.Runtime)
	setString(&c.Role, in.Role)
	if in.Environment != nil {
		c.Environment = maps.Clone(in.Environment.Variables)
	}
	if in.EphemeralStorage != nil {
		setInt(&c.EphemeralStorage, in.EphemeralStorage.Size)
	}
	return c
}

func setInt(dst, src *int) {
	if src != nil {
		*dst = *src
	}
}

func setString(dst, src *string) {
	if src != nil {
		*dst = *src
	}
}
