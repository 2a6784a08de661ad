// Package rtspserver is an RTSP server on loopback that serves clips as
// cameras: camwall's built-in demo cameras (Demo) and the tests' cameras
// (Server), with optional authentication and TLS.
//
// A path gets its stream either from a publisher that connects to the server
// (ANNOUNCE and RECORD, as `ffmpeg -f rtsp` does) or from inside the process
// (Publish, Loop), and any number of readers play it. It is modelled on
// gortsplib's examples/server and examples/server-auth.
package rtspserver
