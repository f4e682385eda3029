package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lambdatune/lambdatune/internal/uuid"
)

// Limits of the products table.
const (
	// maxItemBytes is DynamoDB's item size limit. (D)
	maxItemBytes = 400 * 1024
	// maxProducts and maxTableBytes bound the table's memory; they are the
	// sandbox's limits, not DynamoDB's, which has none.
	maxProducts   = 100_000
	maxTableBytes = 64 << 20
	// scanPageLimit is how many products one GET /products returns: the
	// handler pages its Scan with Limit 100, so a list costs what its page
	// holds, not what the table holds once it passes 100 items.
	scanPageLimit = 100
	// scanPageBytes is DynamoDB's other bound on a Scan page: it stops once
	// the items it read pass 1 MB and returns LastEvaluatedKey. (D) DynamoDB
	// API Reference, Scan. The items' JSON stands for DynamoDB's item size.
	scanPageBytes = 1 << 20
	// seededProducts is how many products the table starts with.
	seededProducts = 50
)

// productTable is the lab's DynamoDB table, in memory: items keyed by id,
// scanned in the order they were written (DynamoDB scans in its hash order;
// any stable order pages the same way). A page's nextToken is the position
// after its last item, so paging survives deletes. It has its own lock so
// that handlers run outside Sandbox.mu.
type productTable struct {
	mu    sync.RWMutex
	items map[string]*productEntry
	// order holds the entries in write order; deleted ones stay until the
	// next compaction.
	order   []*productEntry
	nextSeq uint64
	bytes   int // the items' total size
}

// productEntry is one item and its place in the scan order.
type productEntry struct {
	seq     uint64
	item    string // the item as JSON
	deleted bool
}

func newProductTable() *productTable {
	return &productTable{items: map[string]*productEntry{}}
}

// put stores an item under a new id; false when the table is full (by
// count or by size).
func (t *productTable) put(id, item string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.items[id]; e != nil {
		t.bytes += len(item) - len(e.item)
		e.item = item
		return true
	}
	if len(t.items) >= maxProducts || t.bytes+len(item) > maxTableBytes {
		return false
	}
	t.bytes += len(item)
	t.nextSeq++
	e := &productEntry{seq: t.nextSeq, item: item}
	t.items[id] = e
	t.order = append(t.order, e)
	return true
}

func (t *productTable) get(id string) (string, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if e := t.items[id]; e != nil {
		return e.item, true
	}
	return "", false
}

// remove deletes an item; false when there was none.
func (t *productTable) remove(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.items[id]
	if e == nil {
		return false
	}
	e.deleted = true
	t.bytes -= len(e.item)
	delete(t.items, id)
	if len(t.order) > 2*len(t.items)+64 {
		t.order = slices.DeleteFunc(t.order, func(e *productEntry) bool { return e.deleted })
	}
	return true
}

// errBadNextToken is a nextToken the table did not hand out.
var errBadNextToken = errors.New("nextToken is not valid")

// scan returns up to limit items after the position token ("" for the
// first page), and no more once they pass scanPageBytes, and the token of
// the next page when more may remain (DynamoDB's LastEvaluatedKey).
func (t *productTable) scan(token string, limit int) (items []string, next string, err error) {
	var after uint64
	if token != "" {
		if after, err = strconv.ParseUint(token, 36, 64); err != nil {
			return nil, "", errBadNextToken
		}
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	i := sort.Search(len(t.order), func(i int) bool { return t.order[i].seq > after })
	items = make([]string, 0, min(limit, len(t.items)))
	for size := 0; i < len(t.order) && len(items) < limit && size < scanPageBytes; i++ {
		if e := t.order[i]; !e.deleted {
			items = append(items, e.item)
			size += len(e.item)
		}
	}
	if i < len(t.order) {
		next = strconv.FormatUint(t.order[i-1].seq, 36)
	}
	return items, next, nil
}

func (t *productTable) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.items)
}

// ids lists the ids in the table, in no particular order.
func (t *productTable) ids() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	ids := make([]string, 0, len(t.items))
	for id := range t.items {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// productSeed is one product the table starts with.
type productSeed struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Category    string  `json:"category"`
	Price       float64 `json:"price"`
	Stock       int     `json:"stock"`
}

var (
	seedAdjectives = []string{"Ergonomic", "Rustic", "Sleek", "Handmade", "Refined", "Practical", "Intelligent", "Durable"}
	seedMaterials  = []string{"Steel", "Wooden", "Cotton", "Granite", "Bamboo", "Leather", "Ceramic", "Plastic"}
	seedNouns      = []string{"Chair", "Lamp", "Keyboard", "Mug", "Backpack", "Table", "Bottle", "Notebook", "Speaker", "Watch"}
	seedCategories = []string{"home", "office", "outdoor", "kitchen", "electronics", "fashion"}
)

// seedProducts fills the table with products drawn from rng.
func (t *productTable) seedProducts(rng *rand.Rand, n int) {
	for range n {
		p := productSeed{
			ID:       uuid.FromBits(rng.Uint64(), rng.Uint64()),
			Name:     fmt.Sprintf("%s %s %s", seedAdjectives[rng.IntN(len(seedAdjectives))], seedMaterials[rng.IntN(len(seedMaterials))], seedNouns[rng.IntN(len(seedNouns))]),
			Category: seedCategories[rng.IntN(len(seedCategories))],
			Price:    float64(100+rng.IntN(99900)) / 100,
			Stock:    rng.IntN(500),
		}
		p.Description = fmt.Sprintf("A %s made to last, for %s use.", strings.ToLower(p.Name), p.Category)
		item, _ := json.Marshal(p)
		t.put(p.ID, string(item))
	}
}
