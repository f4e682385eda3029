package load

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// productsAPI is a small products API on loopback, strict like the sandbox's
// front: unknown ids are 404, malformed JSON is 400.
type productsAPI struct {
	mu       sync.Mutex
	products map[string]product
	nextID   int
}

func (a *productsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	id, byID := strings.CutPrefix(r.URL.Path, "/prod/products/")
	switch {
	case r.Method == "POST" && r.URL.Path == "/prod/products":
		a.create(w, r)
	case r.Method == "GET" && r.URL.Path == "/prod/products":
		json.NewEncoder(w).Encode(a.products)
	case byID && r.Method == "GET":
		if p, ok := a.products[id]; ok {
			json.NewEncoder(w).Encode(p)
			return
		}
		http.NotFound(w, r)
	case byID && r.Method == "DELETE":
		if _, ok := a.products[id]; !ok {
			http.NotFound(w, r)
			return
		}
		delete(a.products, id)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "no route", http.StatusMethodNotAllowed)
	}
}

func (a *productsAPI) create(w http.ResponseWriter, r *http.Request) {
	var p product
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil || p.Name == "" || p.Price <= 0 {
		http.Error(w, "bad product", http.StatusBadRequest)
		return
	}
	a.nextID++
	id := "p-" + strconv.Itoa(a.nextID)
	a.products[id] = p
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"id": id, "name": p.Name})
}

func TestProductsScenarioHitsRealProducts(t *testing.T) {
	api := &productsAPI{products: map[string]product{}}
	url := startServer(t, api.ServeHTTP)
	snap := runToEnd(t, Config{
		Target: mustTarget(t, url+"/prod", HTTPOptions{}), Scenario: NewProductsScenario(DefaultProductWeights),
		Users: 8, RunTime: 10 * time.Second, MaxRequests: 2000, Seed: 7,
	})
	if snap.Total.Requests != 2000 || snap.Total.Failures != 0 {
		t.Fatalf("requests %d failures %d %v", snap.Total.Requests, snap.Total.Failures, snap.Total.Errors)
	}
	counts := map[string]uint64{}
	for _, row := range snap.Endpoints {
		counts[row.Method+" "+row.Name] = row.Requests
	}
	// Weights 2:1:6:1; gets and deletes fall back to a create while no id is known.
	checkShare(t, counts, "GET /products/[id]", 0.5, 0.7)
	checkShare(t, counts, "POST /products", 0.15, 0.3)
	checkShare(t, counts, "GET /products", 0.05, 0.15)
	checkShare(t, counts, "DELETE /products/[id]", 0.05, 0.15)
	if names := []string{snap.Endpoints[0].Name, snap.Endpoints[3].Name}; names[0] != "/products" || names[1] != "/products/[id]" {
		t.Fatalf("rows not in Locust's order: %v", snap.Endpoints)
	}
	if len(api.products) == 0 {
		t.Fatal("no product left in the table")
	}
}

func checkShare(t *testing.T, counts map[string]uint64, key string, lo, hi float64) {
	t.Helper()
	var total uint64
	for _, n := range counts {
		total += n
	}
	if share := float64(counts[key]) / float64(total); share < lo || share > hi {
		t.Errorf("%s: %.2f of the requests, want %.2f–%.2f (%v)", key, share, lo, hi, counts)
	}
}

func TestCreatedID(t *testing.T) {
	tests := []struct {
		body, want string
		ok         bool
	}{
		{`{"id":"abc","name":"x"}`, "abc", true},
		{`{"productId":42}`, "42", true},
		{`{"product":{"id":"n1"}}`, "n1", true},
		{`{"Item":{"product_id":"d"}}`, "d", true},
		{`{"name":"no id"}`, "", false},
		{`not json`, "", false},
		{`{"id":""}`, "", false},
	}
	for _, tt := range tests {
		if got, ok := createdID([]byte(tt.body)); got != tt.want || ok != tt.ok {
			t.Errorf("createdID(%s) = %q, %v; want %q, %v", tt.body, got, ok, tt.want, tt.ok)
		}
	}
}
