// Package archtest holds the test that keeps lambdatune's dependency rule true:
// tui → tune → aws, load; load → aws; only tui imports Charm; nothing but
// cmd/lambdatune imports sandbox; tui, tune and load never import the AWS SDK
// (the aws package is the boundary). It has no code of its own.
package archtest
