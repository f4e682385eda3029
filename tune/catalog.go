package tune

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/lambdatune/lambdatune/aws"
)

// SortKey is a column the function list can be sorted by.
type SortKey int

// The sortable columns, in the order the sort key cycles through them.
const (
	SortByName SortKey = iota
	SortByRuntime
	SortByMemory
	SortByTimeout
	SortByReserved
	SortByProvisioned
	SortByLastModified
	sortKeyCount
)

var sortKeyNames = [...]string{"name", "runtime", "memory", "timeout", "reserved", "provisioned", "last modified"}

func (k SortKey) String() string { return sortKeyNames[k] }

// Catalog is the account's function list as the console shows it: filled page
// by page, its concurrency columns filled in as they arrive, filtered and
// sorted. It is not safe for concurrent use; the UI owns it.
type Catalog struct {
	functions []aws.Function
	byName    map[string]int
	filter    []string
	sortKey   SortKey
	desc      bool
	visible   []int
}

// NewCatalog returns an empty catalog sorted by name.
func NewCatalog() *Catalog {
	return &Catalog{byName: map[string]int{}}
}

// Reset forgets every function, keeping the filter and sort.
func (c *Catalog) Reset() {
	c.functions = nil
	c.byName = map[string]int{}
	c.visible = nil
}

// Add merges a page of functions; a function already known is replaced but
// keeps its concurrency if the new copy has none yet.
func (c *Catalog) Add(functions []aws.Function) {
	for _, f := range functions {
		if i, ok := c.byName[f.Name]; ok {
			if !f.Concurrency.Known {
				f.Concurrency = c.functions[i].Concurrency
			}
			c.functions[i] = f
			continue
		}
		c.byName[f.Name] = len(c.functions)
		c.functions = append(c.functions, f)
	}
	c.refresh()
}

// SetConcurrency records a function's concurrency settings.
func (c *Catalog) SetConcurrency(name string, conc aws.Concurrency) {
	i, ok := c.byName[name]
	if !ok {
		return
	}
	conc.Known = conc.Err == nil
	c.functions[i].Concurrency = conc
	if c.sortKey == SortByReserved || c.sortKey == SortByProvisioned {
		c.refresh()
	}
}

// Names lists every function's name in the order they were added.
func (c *Catalog) Names() []string {
	names := make([]string, len(c.functions))
	for i, f := range c.functions {
		names[i] = f.Name
	}
	return names
}

// Get returns a function by name.
func (c *Catalog) Get(name string) (aws.Function, bool) {
	i, ok := c.byName[name]
	if !ok {
		return aws.Function{}, false
	}
	return c.functions[i], true
}

// Total is the number of functions known, whatever the filter.
func (c *Catalog) Total() int { return len(c.functions) }

// PendingConcurrency is how many functions still wait for their concurrency.
func (c *Catalog) PendingConcurrency() int {
	n := 0
	for _, f := range c.functions {
		if !f.Concurrency.Known && f.Concurrency.Err == nil {
			n++
		}
	}
	return n
}

// Rows are the functions that pass the filter, in sort order.
func (c *Catalog) Rows() []aws.Function {
	rows := make([]aws.Function, len(c.visible))
	for i, idx := range c.visible {
		rows[i] = c.functions[idx]
	}
	return rows
}

// Filter is the current filter text.
func (c *Catalog) Filter() string { return strings.Join(c.filter, " ") }

// SetFilter keeps only functions matching every word of text (case-insensitive,
// against name, runtime, architecture and memory).
func (c *Catalog) SetFilter(text string) {
	c.filter = strings.Fields(strings.ToLower(text))
	c.refresh()
}

// Sort reports the sort column and whether it is descending.
func (c *Catalog) Sort() (SortKey, bool) { return c.sortKey, c.desc }

// SortBy sorts by key; sorting again by the same key reverses the order.
func (c *Catalog) SortBy(key SortKey) {
	if key == c.sortKey {
		c.desc = !c.desc
	} else {
		c.sortKey, c.desc = key, false
	}
	c.refresh()
}

// NextSort moves to the next sort column, ascending.
func (c *Catalog) NextSort() {
	c.sortKey, c.desc = (c.sortKey+1)%sortKeyCount, false
	c.refresh()
}

func (c *Catalog) refresh() {
	c.visible = c.visible[:0]
	for i, f := range c.functions {
		if c.matches(f) {
			c.visible = append(c.visible, i)
		}
	}
	slices.SortStableFunc(c.visible, func(a, b int) int {
		order := compareBy(c.sortKey, c.functions[a], c.functions[b])
		if order == 0 {
			order = strings.Compare(c.functions[a].Name, c.functions[b].Name)
		}
		if c.desc {
			return -order
		}
		return order
	})
}

func (c *Catalog) matches(f aws.Function) bool {
	if len(c.filter) == 0 {
		return true
	}
	haystack := strings.ToLower(strings.Join([]string{f.Name, f.Runtime, f.Architecture, strconv.Itoa(int(f.MemoryMB))}, " "))
	for _, word := range c.filter {
		if !strings.Contains(haystack, word) {
			return false
		}
	}
	return true
}

func compareBy(key SortKey, a, b aws.Function) int {
	switch key {
	case SortByRuntime:
		return strings.Compare(a.Runtime, b.Runtime)
	case SortByMemory:
		return cmp.Compare(a.MemoryMB, b.MemoryMB)
	case SortByTimeout:
		return cmp.Compare(a.TimeoutSec, b.TimeoutSec)
	case SortByReserved:
		return cmp.Compare(reservedRank(a), reservedRank(b))
	case SortByProvisioned:
		return cmp.Compare(a.Concurrency.ProvisionedTotal(), b.Concurrency.ProvisionedTotal())
	case SortByLastModified:
		return a.LastModified.Compare(b.LastModified)
	}
	return strings.Compare(a.Name, b.Name)
}

// reservedRank orders unreserved functions before any reservation, even 0.
func reservedRank(f aws.Function) int64 {
	if f.Concurrency.Reserved == nil {
		return -1
	}
	return int64(*f.Concurrency.Reserved)
}

// Retain forgets every function not named in keep: after a full re-read of
// the list, the ones deleted since.
func (c *Catalog) Retain(keep map[string]bool) {
	kept := c.functions[:0]
	c.byName = map[string]int{}
	for _, f := range c.functions {
		if keep[f.Name] {
			c.byName[f.Name] = len(kept)
			kept = append(kept, f)
		}
	}
	c.functions = kept
	c.refresh()
}

// Update replaces what is known of one function (e.g. from its detail),
// keeping its place; it returns false when the function is not listed.
func (c *Catalog) Update(f aws.Function) bool {
	i, ok := c.byName[f.Name]
	if !ok {
		return false
	}
	c.functions[i] = f
	c.refresh()
	return true
}
