// Package tui is lambdatune's terminal console, built on Bubble Tea v2: one root
// model owns the screens (Functions, Function, ...), the header that says where
// the user is (SANDBOX, or account · region · profile), help and key handling.
//
// Dependency rule (one way, no cycles): tui → tune → aws, load. tui is the only
// package of lambdatune that imports Charm modules (bubbletea, lipgloss, bubbles,
// ntcharts). It never imports sandbox: the sandbox is reached over the wire only.
// Nothing blocks in Update: all I/O runs in tea.Cmds that return messages.
package tui
