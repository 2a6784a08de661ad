module github.com/camwall/camwall

go 1.26

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/asticode/go-astiav v0.42.0 // indirect
	github.com/asticode/go-astikit v0.42.0 // indirect
	github.com/bluenviron/gortsplib/v4 v4.16.2 // indirect
	github.com/bluenviron/mediacommon/v2 v2.4.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/pion/logging v0.2.3 // indirect
	github.com/pion/randutil v0.1.0 // indirect
	github.com/pion/rtcp v1.2.15 // indirect
	github.com/pion/rtp v1.8.21 // indirect
	github.com/pion/sdp/v3 v3.0.15 // indirect
	github.com/pion/srtp/v3 v3.0.6 // indirect
	github.com/pion/transport/v3 v3.0.7 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/sys v0.35.0 // indirect
)
