// Package archtest holds the tests that keep lambdatune's structure true. It
// has no code of its own.
//
// The dependency rule (arch_test.go): tui → tune → aws, load; load → aws;
// only tui imports Charm; nothing but cmd/lambdatune imports sandbox; tui,
// tune and load never import the AWS SDK (the aws package is the boundary).
//
// The repository explains itself (sources_test.go): a comment or a document
// cites only files a user who clones it has — every Markdown file named and
// every link and #anchor exists, every source tag such as [S9] is defined in
// a sources list under docs/ (docs/sources.md), and nothing names a document
// kept outside the repository. The developer guide (devguide_test.go) names
// only files and Go names that exist.
package archtest
