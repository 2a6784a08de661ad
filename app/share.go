package app

import (
	"fmt"

	"github.com/camwall/camwall/player"
)

// When the machine cannot decode and paint every frame of every tile, the
// wall degrades evenly: every changed tile is painted in each repaint (so
// the window's rate is shared by all tiles alike), and the decoders run at
// one priority below the window's (player's decodeNice), so the kernel
// shares what the window leaves evenly between them. What is left to the
// UI is to say so: each tile's statistics name its reduced rate and where
// the frames are lost.

// shortfall is how far below the camera's rate a stage must fall before the
// tile reports it: rates are sampled once a second and jitter by a frame
// or two.
const shortfall = 0.85

// reduction says why a live tile shows fewer pictures than its camera
// sends, or "" when it shows them all. received, decoded and painted are
// frames per second; a hidden tile paints nothing, and says nothing about
// painting.
func reduction(st player.Status, painted float64, visible bool) string {
	if st.State != player.StateLive || st.ReceivedFPS <= 0 {
		return ""
	}
	rx := st.ReceivedFPS
	if st.DecodedFPS < shortfall*rx {
		return fmt.Sprintf("decoding %.0f of %.0f fps: CPU", st.DecodedFPS, rx)
	}
	if visible && painted < shortfall*min(rx, st.DecodedFPS) {
		return fmt.Sprintf("painting %.0f of %.0f fps: window busy", painted, min(rx, st.DecodedFPS))
	}
	return ""
}
