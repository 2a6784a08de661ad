package player

import "github.com/camwall/camwall/decoder"

// showBackend puts what decodes the stream into the status, and logs it
// when hardware was asked for: the one place a user finds why a camera
// they expected on the GPU decodes in software.
func (s *Session) showBackend(b decoder.Backend) {
	if b.Hardware == "" && s.hwFailed != "" {
		b.Reason = s.hwFailed // reopened in software after a failure: still why
	}
	text := b.String()
	if st := s.status.Load(); st.Decoder == text {
		return
	}
	s.setState(func(st *Status) { st.Decoder, st.Hardware = text, b.HardwareName() })
	if s.cfg.HWAccel != "" && s.cfg.HWAccel != decoder.HWAccelOff || s.simulateHW != nil {
		s.log.Info("decoder", "decoder", text, "hwaccel", s.cfg.HWAccel)
	}
}

// fellBack shows that the stream left the GPU for software, and says
// whether the decoder was reopened, so that decoding resumes at the next
// keyframe.
func (s *Session) fellBack(fb *decoder.FallbackError) bool {
	s.log.Warn("hardware decoding ended, decoding in software", "reason", fb.Backend.Reason)
	if fb.Restarted {
		s.hwFailed = fb.Backend.Reason
	}
	s.showBackend(fb.Backend)
	return fb.Restarted
}

// DefaultHWAccel gives cfg the hwaccel of force when set (a command line's
// --hwaccel, which wins over the configuration), else keeps the camera's
// own, else gives it global (the configuration's hwaccel).
func (cfg *Config) DefaultHWAccel(force, global string) {
	switch {
	case force != "":
		cfg.HWAccel = force
	case cfg.HWAccel == "":
		cfg.HWAccel = global
	}
}
