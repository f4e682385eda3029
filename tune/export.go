package tune

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Format is an export format.
type Format string

// The export formats.
const (
	FormatMarkdown Format = "md"
	FormatJSON     Format = "json"
	FormatCSV      Format = "csv"
	FormatHTML     Format = "html"
)

// Formats lists the export formats, as --format takes them.
var Formats = []Format{FormatMarkdown, FormatJSON, FormatCSV, FormatHTML}

// ParseFormat reads a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimPrefix(s, "."))); f {
	case FormatMarkdown, FormatJSON, FormatCSV, FormatHTML:
		return f, nil
	case "markdown":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("format %q: choose md, json, csv or html", s)
}

// Write writes the report in format f.
func (r Report) Write(w io.Writer, f Format) error {
	switch f {
	case FormatMarkdown:
		return r.WriteMarkdown(w)
	case FormatJSON:
		return r.WriteJSON(w)
	case FormatCSV:
		return r.WriteCSV(w)
	case FormatHTML:
		return r.WriteHTML(w)
	}
	return fmt.Errorf("format %q: choose md, json, csv or html", f)
}

// WriteJSON writes everything the report holds; ReadReportJSON reads it back.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadReportJSON reads a report WriteJSON wrote.
func ReadReportJSON(rd io.Reader) (Report, error) {
	var r Report
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return Report{}, fmt.Errorf("read report: %w", err)
	}
	return r, nil
}
