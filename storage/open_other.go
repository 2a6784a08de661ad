//go:build !unix

package storage

// noFollow is nothing on systems without such a flag (Windows): there the
// exclusive create alone guards the name, and making a symbolic link takes
// a privilege ordinary users lack.
const noFollow = 0
