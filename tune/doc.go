// Package tune is lambdatune's domain layer: what a tuning session knows about a
// function and its account, independent of how it is shown. The console asks it
// for the function catalogue (the list filled in as concurrency settings arrive),
// a function's detail, and the cost of a configuration.
//
// Dependency rule (one way, no cycles): tui → tune → aws, load. tune imports no
// Charm package and never imports sandbox or tui.
package tune
