// Package storage owns what camwall keeps on disk: the configuration file
// (load, validate, save), snapshot files and their settings, recording
// files (segments, their settings and retention), the file names both are
// given, and the one atomic file writer they share.
package storage
