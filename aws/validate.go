package aws

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Limits of the Lambda API, from the API reference (MemorySize 128..10240 in
// 1-MB steps; reserved ≥ 0; provisioned ≥ 1).
const (
	MinMemoryMB      = 128
	MaxMemoryMB      = 10240
	MinReserved      = 0
	MinProvisioned   = 1
	LatestQualifier  = "$LATEST"
	memoryField      = "memorySize"
	reservedField    = "reservedConcurrentExecutions"
	provisionedField = "provisionedConcurrentExecutions"
)

// ErrInvalidValue marks every validation failure; errors.Is(err, ErrInvalidValue)
// tells a caller that nothing was sent.
var ErrInvalidValue = errors.New("invalid value")

// ValidationError is a value rejected before any request was built. Its message
// is AWS's own wording for the same mistake, so the console says what AWS would.
type ValidationError struct {
	Field   string // AWS's member name, e.g. "memorySize"
	Value   string
	Message string
}

func (e *ValidationError) Error() string { return e.Message }

// Unwrap makes errors.Is(err, ErrInvalidValue) true.
func (e *ValidationError) Unwrap() error { return ErrInvalidValue }

func constraintError(field string, value int64, constraint string) *ValidationError {
	return &ValidationError{
		Field: field,
		Value: strconv.FormatInt(value, 10),
		Message: fmt.Sprintf("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value %s",
			value, field, constraint),
	}
}

// ValidateMemory checks a memory size in MB.
func ValidateMemory(mb int64) error {
	switch {
	case mb < MinMemoryMB:
		return constraintError(memoryField, mb, fmt.Sprintf("greater than or equal to %d", MinMemoryMB))
	case mb > MaxMemoryMB:
		return constraintError(memoryField, mb, fmt.Sprintf("less than or equal to %d", MaxMemoryMB))
	}
	return nil
}

// ValidateReserved checks reserved concurrency n for a function that now
// claims current units of the account (its reserved concurrency, or the
// provisioned concurrency it holds without a reservation) and has
// provisioned concurrency on its versions and aliases.
func ValidateReserved(n int64, current, provisioned int32, acct Account) error {
	if n < MinReserved {
		return constraintError(reservedField, n, fmt.Sprintf("greater than or equal to %d", MinReserved))
	}
	if n < int64(provisioned) {
		// AWS's text, odd spacing included.
		return &ValidationError{Field: reservedField, Value: strconv.FormatInt(n, 10), Message: fmt.Sprintf(
			" ReservedConcurrentExecutions  %d should not be lower than function's total provisioned concurrency [%d].", n, provisioned)}
	}
	if int64(acct.Unreserved)+int64(current)-n < int64(acct.Floor()) {
		return &ValidationError{Field: reservedField, Value: strconv.FormatInt(n, 10), Message: fmt.Sprintf(
			"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].",
			acct.Floor())}
	}
	return nil
}

// ProvisionedTarget is what provisioned concurrency is being set against.
type ProvisionedTarget struct {
	Qualifier string
	// Reserved is the function's reserved concurrency, nil when none is set.
	Reserved *int32
	// OtherProvisioned is the provisioned concurrency already requested on the
	// function's other qualifiers; with this one it must fit in Reserved.
	OtherProvisioned int32
	// Current is what this qualifier has now (0 when none).
	Current int32
	Account Account
}

// ValidateProvisioned checks provisioned concurrency n on target.
func ValidateProvisioned(n int64, target ProvisionedTarget) error {
	if err := ValidateQualifier(target.Qualifier); err != nil {
		return err
	}
	if n < MinProvisioned {
		return constraintError(provisionedField, n, fmt.Sprintf("greater than or equal to %d", MinProvisioned))
	}
	value := strconv.FormatInt(n, 10)
	if target.Reserved != nil {
		if n+int64(target.OtherProvisioned) > int64(*target.Reserved) {
			return &ValidationError{Field: provisionedField, Value: value,
				Message: "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function"}
		}
		return nil
	}
	if int64(target.Account.Unreserved)+int64(target.Current)-n < int64(target.Account.Floor()) {
		return &ValidationError{Field: provisionedField, Value: value, Message: fmt.Sprintf(
			"Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].",
			target.Account.Floor())}
	}
	return nil
}

// ValidateQualifier checks that provisioned concurrency can be applied to a
// qualifier: an alias or a published version, never $LATEST or none.
func ValidateQualifier(q string) error {
	if q == "" || q == LatestQualifier {
		return &ValidationError{Field: "qualifier", Value: q,
			Message: "Provisioned Concurrency Configs cannot be applied to unpublished function versions."}
	}
	return nil
}

// ParseWhole reads a whole number typed by a user for field ("memory",
// "reserved concurrency"...), in words a user understands.
func ParseWhole(field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "MB"), " ")
	if s == "" {
		return 0, &ValidationError{Field: field, Message: fmt.Sprintf("enter a value for %s", field)}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, &ValidationError{Field: field, Value: s,
			Message: fmt.Sprintf("%q is not a whole number: %s must be a whole number", s, field)}
	}
	return n, nil
}
