package aws

import (
	"errors"
	"testing"
)

func int32p(n int32) *int32 { return &n }

func TestValidateMemory(t *testing.T) {
	tests := []struct {
		mb   int64
		want string
	}{
		{128, ""},
		{10240, ""},
		{3008, ""},
		{127, "1 validation error detected: Value '127' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"},
		{10241, "1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"},
		{-5, "1 validation error detected: Value '-5' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"},
	}
	for _, tt := range tests {
		assertValidation(t, "memory", tt.mb, ValidateMemory(tt.mb), tt.want)
	}
}

func TestValidateReserved(t *testing.T) {
	acct := Account{ConcurrencyLimit: 1000, Unreserved: 900}
	small := Account{ConcurrencyLimit: 10, Unreserved: 10}
	floorMsg := "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."
	tests := []struct {
		name        string
		n           int64
		current     int32
		provisioned int32
		acct        Account
		want        string
	}{
		{"zero throttles all, allowed", 0, 0, 0, acct, ""},
		{"up to the floor", 800, 0, 0, acct, ""},
		{"one past the floor", 801, 0, 0, acct, floorMsg},
		{"own reservation counts back", 900, 100, 0, acct, ""},
		{"negative", -1, 0, 0, acct, "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"below the function's provisioned concurrency", 20, 40, 40, acct,
			" ReservedConcurrentExecutions  20 should not be lower than function's total provisioned concurrency [40]."},
		{"new account floor is the whole limit", 1, 0, 0, small,
			"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [10]."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertValidation(t, "reserved", tt.n, ValidateReserved(tt.n, tt.current, tt.provisioned, tt.acct), tt.want)
		})
	}
}

func TestValidateProvisioned(t *testing.T) {
	acct := Account{ConcurrencyLimit: 1000, Unreserved: 900}
	latest := "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
	aboveReserved := "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function"
	floor := "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."
	tests := []struct {
		name   string
		n      int64
		target ProvisionedTarget
		want   string
	}{
		{"alias without reserved", 40, ProvisionedTarget{Qualifier: "live", Account: acct}, ""},
		{"$LATEST", 40, ProvisionedTarget{Qualifier: "$LATEST", Account: acct}, latest},
		{"no qualifier", 40, ProvisionedTarget{Account: acct}, latest},
		{"zero", 0, ProvisionedTarget{Qualifier: "live", Account: acct},
			"1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"within reserved", 20, ProvisionedTarget{Qualifier: "1", Reserved: int32p(20), Account: acct}, ""},
		{"above reserved", 21, ProvisionedTarget{Qualifier: "1", Reserved: int32p(20), Account: acct}, aboveReserved},
		{"other qualifiers share reserved", 15, ProvisionedTarget{Qualifier: "2", Reserved: int32p(20), OtherProvisioned: 10, Account: acct}, aboveReserved},
		{"unreserved floor", 801, ProvisionedTarget{Qualifier: "live", Account: acct}, floor},
		{"raising own config counts back", 800, ProvisionedTarget{Qualifier: "live", Current: 100, Account: Account{ConcurrencyLimit: 1000, Unreserved: 800}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertValidation(t, "provisioned", tt.n, ValidateProvisioned(tt.n, tt.target), tt.want)
		})
	}
}

func TestParseWhole(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"3008", 3008, false}, {" 512 ", 512, false}, {"1024MB", 1024, false}, {"1024 MB", 1024, false},
		{"1.5", 0, true}, {"", 0, true}, {"lots", 0, true},
	} {
		got, err := ParseWhole("memory", tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseWhole(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrInvalidValue) {
			t.Errorf("ParseWhole(%q) error %v is not ErrInvalidValue", tt.in, err)
		}
	}
}

func assertValidation(t *testing.T, what string, n int64, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("%s %d: unexpected error %v", what, n, err)
		}
		return
	}
	if err == nil {
		t.Errorf("%s %d: no error, want %q", what, n, want)
		return
	}
	if err.Error() != want {
		t.Errorf("%s %d:\n got %q\nwant %q", what, n, err.Error(), want)
	}
	if !errors.Is(err, ErrInvalidValue) {
		t.Errorf("%s %d: error is not ErrInvalidValue", what, n)
	}
}
