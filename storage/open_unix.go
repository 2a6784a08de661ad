//go:build unix

package storage

import "syscall"

// noFollow makes opening a file fail rather than follow a symbolic link
// at its name.
const noFollow = syscall.O_NOFOLLOW
