package cli

import (
	"errors"
	"io/fs"

	"github.com/camwall/camwall/storage"
)

// Run runs the sub-command name with its arguments and returns its exit
// code; ok is false when there is no sub-command of that name.
func Run(name string, args []string) (code int, ok bool) {
	switch name {
	case "probe":
		return probe(args), true
	case "snapshot":
		return snapshotCmd(args), true
	case "record":
		return recordCmd(args), true
	case "gopro":
		return goproCmd(args), true
	}
	return 0, false
}

// LoadConfig reads the configuration; a missing file is an empty one, which
// the UI creates when the first camera is added.
func LoadConfig(path string) (string, *storage.Config, error) {
	if path == "" {
		p, err := storage.DefaultConfigPath()
		if err != nil {
			return "", nil, err
		}
		path = p
	}
	cfg, err := storage.LoadConfig(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, &storage.Config{}, nil
	}
	return path, cfg, err
}
