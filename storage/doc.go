// Package storage owns what camwall keeps on disk: the configuration file
// today; snapshots and recordings later.
package storage
