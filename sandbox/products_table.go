package sandbox

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
)

// Limits of the products table.
const (
	// maxItemBytes is DynamoDB's item size limit. (D)
	maxItemBytes = 400 * 1024
	// maxProducts bounds the table's memory (≈ 30 MB of typical products); it
	// is the sandbox's limit, not DynamoDB's, which has none.
	maxProducts = 100_000
	// scanPageLimit is how many products one GET /products returns: the
	// handler pages its Scan with Limit 100, so a list costs what its page
	// holds, not what the table holds once it passes 100 items.
	scanPageLimit = 100
	// seededProducts is how many products the table starts with.
	seededProducts = 50
)

// productTable is the lab's DynamoDB table, in memory: items keyed by id,
// scanned in id order. DynamoDB scans in hash order; with random UUIDs for ids,
// id order is just as arbitrary and it pages stably. It has its own lock so
// that handlers run outside Sandbox.mu.
type productTable struct {
	mu    sync.RWMutex
	items map[string][]byte // id → the item as JSON
	ids   []string          // sorted
}

func newProductTable() *productTable {
	return &productTable{items: map[string][]byte{}}
}

// put stores an item under a new id; false when the table is full.
func (t *productTable) put(id string, item []byte) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, exists := t.items[id]; !exists {
		if len(t.ids) >= maxProducts {
			return false
		}
		i := sort.SearchStrings(t.ids, id)
		t.ids = append(t.ids, "")
		copy(t.ids[i+1:], t.ids[i:])
		t.ids[i] = id
	}
	t.items[id] = item
	return true
}

func (t *productTable) get(id string) ([]byte, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	item, ok := t.items[id]
	return item, ok
}

// remove deletes an item; false when there was none.
func (t *productTable) remove(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.items[id]; !ok {
		return false
	}
	delete(t.items, id)
	i := sort.SearchStrings(t.ids, id)
	t.ids = append(t.ids[:i], t.ids[i+1:]...)
	return true
}

// scan returns up to limit items after the id after ("" for the first
// page), and the last id returned when more remain (DynamoDB's
// LastEvaluatedKey).
func (t *productTable) scan(after string, limit int) (items [][]byte, next string) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	i := 0
	if after != "" {
		i = sort.SearchStrings(t.ids, after)
		if i < len(t.ids) && t.ids[i] == after {
			i++
		}
	}
	end := min(i+limit, len(t.ids))
	items = make([][]byte, 0, end-i)
	for _, id := range t.ids[i:end] {
		items = append(items, t.items[id])
	}
	if end < len(t.ids) && end > i {
		next = t.ids[end-1]
	}
	return items, next
}

func (t *productTable) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.ids)
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
			ID:       uuidFrom(rng.Uint64(), rng.Uint64()),
			Name:     fmt.Sprintf("%s %s %s", seedAdjectives[rng.IntN(len(seedAdjectives))], seedMaterials[rng.IntN(len(seedMaterials))], seedNouns[rng.IntN(len(seedNouns))]),
			Category: seedCategories[rng.IntN(len(seedCategories))],
			Price:    float64(100+rng.IntN(99900)) / 100,
			Stock:    rng.IntN(500),
		}
		p.Description = fmt.Sprintf("A %s made to last, for %s use.", strings.ToLower(p.Name), p.Category)
		item, _ := json.Marshal(p)
		t.put(p.ID, item)
	}
}
