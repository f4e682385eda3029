package tune

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// LabFunctionPattern is what the lab stack's function is called: SAM names
// it after the stack and the template's logical id,
// e.g. product-api-ProductApiFunction-AbC123.
const LabFunctionPattern = "ProductApiFunction"

// labFindPages bounds the functions FindLabFunction reads (50 a page).
const labFindPages = 200

// ErrNoLabFunction is returned when no function looks like the lab's.
var ErrNoLabFunction = errors.New("no function of the lab's stack found")

// FindLabFunction finds the lab stack's function by its name: the products
// API's function in the sandbox, else the one function whose name contains
// LabFunctionPattern. Several candidates are an error that names them.
func (s *Session) FindLabFunction(ctx context.Context) (string, error) {
	if s.where.ProductsFunction != "" {
		return s.where.ProductsFunction, nil
	}
	var found []string
	marker := ""
	for range labFindPages {
		page, err := s.FunctionPage(ctx, marker)
		if err != nil {
			return "", err
		}
		for _, f := range page.Functions {
			if strings.Contains(f.Name, LabFunctionPattern) {
				found = append(found, f.Name)
			}
		}
		if marker = page.NextMarker; marker == "" {
			break
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%w (no function name contains %s): name the function to tune, e.g. lambdatune lab my-function --url https://…", ErrNoLabFunction, LabFunctionPattern)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("several functions look like the lab's (%s): name the one to tune", strings.Join(found, ", "))
}
