package load

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/url"
	"strconv"
	"sync"
)

// Products scenario endpoints, as Locust names them.
const (
	productsCreate = iota
	productsList
	productsGet
	productsDelete
)

// ProductWeights are the products scenario's task weights. The defaults lean
// on reads as the lab's locustfile does, and create twice as often as they
// delete so that gets and deletes always find products to hit.
type ProductWeights struct{ Create, List, Get, Delete int }

// DefaultProductWeights: of every 10 tasks, 2 create, 1 lists, 6 get by id and
// 1 deletes.
var DefaultProductWeights = ProductWeights{Create: 2, List: 1, Get: 6, Delete: 1}

// maxKnownIDs bounds the ids a run remembers.
const maxKnownIDs = 100_000

// ProductsScenario is the lab's products API traffic: create a generated
// product, list, get by id and delete, against the routes POST /products,
// GET /products, GET /products/{id} and DELETE /products/{id} below the target
// URL. Gets and deletes use ids this run created, so they hit real products.
//
// The API must answer a create with a JSON object carrying the new product's
// "id" (or "productId", possibly inside "product" or "item").
type ProductsScenario struct {
	weights ProductWeights
	// readable ids are only read; deletable ids are only deleted, so a get
	// never races a delete into a false 404.
	mu        sync.Mutex
	readable  []string
	deletable []string
	created   uint64
}

// NewProductsScenario returns the scenario with fresh id pools; use one per run.
func NewProductsScenario(w ProductWeights) *ProductsScenario {
	return &ProductsScenario{weights: w}
}

// Name implements Scenario.
func (p *ProductsScenario) Name() string { return "products" }

// Endpoints implements Scenario.
func (p *ProductsScenario) Endpoints() []Endpoint {
	return []Endpoint{
		productsCreate: {Method: "POST", Name: "/products"},
		productsList:   {Method: "GET", Name: "/products"},
		productsGet:    {Method: "GET", Name: "/products/[id]"},
		productsDelete: {Method: "DELETE", Name: "/products/[id]"},
	}
}

// Tasks implements Scenario.
func (p *ProductsScenario) Tasks() []Task {
	return []Task{
		{Name: "create", Weight: p.weights.Create, Run: p.create},
		{Name: "list", Weight: p.weights.List, Run: p.list},
		{Name: "get", Weight: p.weights.Get, Run: p.get},
		{Name: "delete", Weight: p.weights.Delete, Run: p.delete},
	}
}

var listRequest = Request{Endpoint: productsList, Method: "GET", Path: "/products", Resource: "/products"}

func (p *ProductsScenario) list(ctx context.Context, u *User) {
	req := listRequest
	u.Do(ctx, &req)
}

func (p *ProductsScenario) create(ctx context.Context, u *User) {
	req := Request{Endpoint: productsCreate, Method: "POST", Path: "/products", Resource: "/products", Body: newProductJSON(u), WantBody: true}
	out := u.Do(ctx, &req)
	if out == nil || out.Failed() {
		return
	}
	if id, ok := createdID(out.Body); ok {
		p.remember(id)
	}
}

func (p *ProductsScenario) get(ctx context.Context, u *User) {
	id, ok := p.pickReadable(u.Rand())
	if !ok {
		p.create(ctx, u)
		return
	}
	req := byIDRequest(productsGet, "GET", id)
	u.Do(ctx, &req)
}

func (p *ProductsScenario) delete(ctx context.Context, u *User) {
	id, ok := p.takeDeletable(u.Rand())
	if !ok {
		p.create(ctx, u)
		return
	}
	req := byIDRequest(productsDelete, "DELETE", id)
	u.Do(ctx, &req)
}

func byIDRequest(endpoint int, method, id string) Request {
	return Request{
		Endpoint: endpoint, Method: method, Path: "/products/" + url.PathEscape(id),
		Resource: "/products/{id}", PathParameters: map[string]string{"id": id},
	}
}

// remember files a new id: every other one is kept for deletes.
func (p *ProductsScenario) remember(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.created++
	if p.created%2 == 0 && len(p.deletable) < maxKnownIDs {
		p.deletable = append(p.deletable, id)
		return
	}
	if len(p.readable) < maxKnownIDs {
		p.readable = append(p.readable, id)
	}
}

func (p *ProductsScenario) pickReadable(rng *rand.Rand) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.readable) == 0 {
		return "", false
	}
	return p.readable[rng.IntN(len(p.readable))], true
}

func (p *ProductsScenario) takeDeletable(rng *rand.Rand) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.deletable)
	if n == 0 {
		return "", false
	}
	i := rng.IntN(n)
	id := p.deletable[i]
	p.deletable[i] = p.deletable[n-1]
	p.deletable = p.deletable[:n-1]
	return id, true
}

// product is the JSON body of a create.
type product struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Price       float64 `json:"price"`
	Category    string  `json:"category"`
	Material    string  `json:"material"`
	UPC         string  `json:"upc"`
}

func newProductJSON(u *User) []byte {
	f := u.Faker()
	body, _ := json.Marshal(product{
		Name: f.ProductName(), Description: f.ProductDescription(),
		Price:    math.Round(f.Price(1, 500)*100) / 100,
		Category: f.ProductCategory(), Material: f.ProductMaterial(), UPC: f.ProductUPC(),
	})
	return body
}

// createdID finds the new product's id in a create's answer.
func createdID(body []byte) (string, bool) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return "", false
	}
	for _, key := range []string{"id", "productId", "product_id"} {
		if id, ok := jsonScalar(doc[key]); ok {
			return id, true
		}
	}
	for _, key := range []string{"product", "item", "Item"} {
		if nested, ok := doc[key]; ok {
			return createdID(nested)
		}
	}
	return "", false
}

func jsonScalar(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if _, err := strconv.ParseFloat(n.String(), 64); err == nil {
			return n.String(), true
		}
	}
	return "", false
}
