// Package redact hides the secrets of camera URLs in everything camwall
// shows or logs. It is the one redactor: the config's messages, the tiles,
// the logs and the demuxer's errors all go through it. It imports only the
// standard library, so every package can use it.
package redact
