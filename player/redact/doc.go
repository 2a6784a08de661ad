// Package redact hides the secrets of camera URLs in everything camwall
// shows or logs. It is the one redactor: the configuration's messages, the
// tiles, the logs, the command line's output and the demuxer's errors all go
// through it. URL shows a URL with its secrets masked, Secrets lists them
// for Text to scrub from any message that quotes them (Handler does so for
// every log line of a camera), and Check refuses a URL whose password a
// parser would read as its host. It reads URLs as text rather than with
// net/url, so that the URLs a parser gets wrong are hidden too, and it
// imports only the standard library, so every package can use it.
package redact
