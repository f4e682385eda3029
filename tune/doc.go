// Package tune is lambdatune's domain layer: what a tuning session knows about a
// function and its account, independent of how it is shown. The console and the
// headless commands ask it for:
//   - the function catalogue (the list, filled in as concurrency settings
//     arrive), a function's detail and Facts, and which metrics view to read
//     (MetricsView: periods, window, pending horizon);
//   - changes: PlanChange checks a change against the function and the account
//     with the aws package's rules and previews it, Session.Apply makes it and
//     waits until AWS reports it done (rolling an alias back on failure), and
//     ChangeRestore plans the way back to any configuration;
//   - load tests: Session.LoadConfig turns the form's LoadSettings into the
//     load engine's Config;
//   - cost (Prices, docs/cost.md) and the journal: runs, changes and the
//     snapshots pairing them, with deltas, exports and the HTML report
//     (docs/journal.md);
//   - the lab (docs/lab.md): LabSteps as data, and a Lab that plans each
//     step's changes (NextChange), measures and judges it (Run, LabResult),
//     says where the function is (State) and plans the way back (RestorePlan).
//
// Dependency rule (one way, no cycles): tui → tune → aws, load. tune imports no
// Charm package, never imports sandbox or tui, and never the AWS SDK: it speaks
// the aws package's types (internal/archtest).
package tune
