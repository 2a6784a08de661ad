// Package source is the seam between a camera's session and the ways of
// receiving it: a Source connects and delivers encoded units into a Sink,
// and words its own failures as an *Error. The kinds live in the packages
// below (rtsp, demux, gopro); none of them knows the session.
package source
