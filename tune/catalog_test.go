package tune

import (
	"reflect"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
)

func fn(name, runtime string, memory int32, modified int) aws.Function {
	return aws.Function{Name: name, Runtime: runtime, Architecture: "x86_64", MemoryMB: memory, TimeoutSec: 3,
		LastModified: time.Date(2026, 11, modified, 0, 0, 0, 0, time.UTC)}
}

func names(fs []aws.Function) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func reserved(n int32) aws.Concurrency { return aws.Concurrency{Known: true, Reserved: &n} }

func TestCatalogFilterAndSort(t *testing.T) {
	c := NewCatalog()
	c.Add([]aws.Function{fn("orders", "nodejs22.x", 512, 3), fn("product-api", "python3.12", 128, 1)})
	c.Add([]aws.Function{fn("billing", "java21", 2048, 2), fn("product-images", "python3.13", 1024, 4)})

	if got, want := names(c.Rows()), []string{"billing", "orders", "product-api", "product-images"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("by name: %v, want %v", got, want)
	}
	c.SetFilter("PRODUCT")
	if got, want := names(c.Rows()), []string{"product-api", "product-images"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("filter product: %v, want %v", got, want)
	}
	c.SetFilter("product 3.12")
	if got, want := names(c.Rows()), []string{"product-api"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("filter 'product 3.12': %v, want %v", got, want)
	}
	c.SetFilter("")
	c.SortBy(SortByMemory)
	if got, want := names(c.Rows()), []string{"product-api", "orders", "product-images", "billing"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("by memory: %v, want %v", got, want)
	}
	c.SortBy(SortByMemory)
	if key, desc := c.Sort(); key != SortByMemory || !desc {
		t.Fatalf("second SortBy(memory) = %v desc=%v, want memory descending", key, desc)
	}
	if got := names(c.Rows())[0]; got != "billing" {
		t.Fatalf("memory descending starts with %s", got)
	}
}

func TestCatalogConcurrencyFillsIn(t *testing.T) {
	c := NewCatalog()
	c.Add([]aws.Function{fn("a", "python3.12", 128, 1), fn("b", "python3.12", 128, 1), fn("c", "python3.12", 128, 1)})
	if n := c.PendingConcurrency(); n != 3 {
		t.Fatalf("pending = %d, want 3", n)
	}
	c.SortBy(SortByReserved)
	c.SetConcurrency("c", reserved(0))
	c.SetConcurrency("a", reserved(50))
	c.SetConcurrency("missing", reserved(5)) // unknown names are ignored
	if n := c.PendingConcurrency(); n != 1 {
		t.Fatalf("pending = %d, want 1", n)
	}
	// Unreserved sorts before a reservation of 0, which throttles everything.
	if got, want := names(c.Rows()), []string{"b", "c", "a"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("by reserved: %v, want %v", got, want)
	}
	// A refreshed page without concurrency keeps what was already known.
	c.Add([]aws.Function{fn("a", "python3.12", 256, 5)})
	got, _ := c.Get("a")
	if got.MemoryMB != 256 || got.Concurrency.Reserved == nil || *got.Concurrency.Reserved != 50 {
		t.Fatalf("after refresh a = %+v", got)
	}
}

func TestWhereLabel(t *testing.T) {
	tests := []struct {
		where Where
		want  string
	}{
		{Where{Sandbox: true, Region: "us-east-1"}, "SANDBOX · us-east-1"},
		{Where{AccountID: "123456789012", Region: "eu-west-1", Profile: "dev"}, "123456789012 · eu-west-1 · profile dev"},
		{Where{Region: "eu-west-1"}, "account ? · eu-west-1"},
		{Where{AccountID: "000000000000", Region: "us-east-1", Endpoint: "http://127.0.0.1:4566"}, "000000000000 · us-east-1 · http://127.0.0.1:4566"},
	}
	for _, tt := range tests {
		if got := tt.where.Label(); got != tt.want {
			t.Errorf("Label() = %q, want %q", got, tt.want)
		}
	}
}

func TestCatalogRetainDropsDeleted(t *testing.T) {
	c := NewCatalog()
	c.Add([]aws.Function{fn("a", "python3.12", 128, 1), fn("b", "python3.12", 128, 1), fn("c", "python3.12", 128, 1)})
	c.Retain(map[string]bool{"a": true, "c": true})
	if got := names(c.Rows()); !reflect.DeepEqual(got, []string{"a", "c"}) {
		t.Fatalf("after Retain: %v", got)
	}
	if _, ok := c.Get("b"); ok {
		t.Fatal("b still known")
	}
	if f, ok := c.Get("c"); !ok || f.Name != "c" {
		t.Fatal("c lost its index")
	}
	updated := fn("c", "python3.12", 3008, 2)
	if !c.Update(updated) {
		t.Fatal("Update of a listed function refused")
	}
	if f, _ := c.Get("c"); f.MemoryMB != 3008 {
		t.Fatalf("c after Update: %+v", f)
	}
	if c.Update(fn("zz", "go", 128, 1)) {
		t.Fatal("Update of an unknown function accepted")
	}
}
