package storage

import "golang.org/x/sys/windows"

// userFolder is the known folder (SHGetKnownFolderPath) for Pictures or
// Videos: where the user or an administrator moved it (OneDrive, another
// drive, a redirected profile), not only %USERPROFILE%\Pictures. "" when the
// shell cannot say, and the caller falls back to the folder under home.
func userFolder(_ string, f folder) string {
	id := map[folder]*windows.KNOWNFOLDERID{
		folderPictures: windows.FOLDERID_Pictures,
		folderVideos:   windows.FOLDERID_Videos,
	}[f]
	dir, err := windows.KnownFolderPath(id, windows.KF_FLAG_DEFAULT)
	if err != nil {
		return ""
	}
	return dir
}
