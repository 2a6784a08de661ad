package storage

// A user folder that footage goes to by default; userFolder (one per
// system, in userfolder_*.go) finds where the system keeps it.
type folder int

const (
	folderPictures folder = iota
	folderVideos
)
