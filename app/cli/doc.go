// Package cli holds the headless sub-commands: probe, snapshot, record,
// gopro discover.
package cli
