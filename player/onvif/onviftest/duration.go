package onviftest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseDuration reads an xs:duration such as PT5S, PT0.5S, PT1M30S or
// P1DT2H. Years and months have no fixed length and are refused: a PTZ
// timeout never needs them.
func parseDuration(s string) (time.Duration, error) {
	orig := s
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if !strings.HasPrefix(s, "P") || len(s) < 2 {
		return 0, fmt.Errorf("xs:duration %q: want P[nD][T[nH][nM][nS]]", orig)
	}
	s = s[1:]
	var total float64
	inTime := false
	units := map[bool]map[byte]float64{
		false: {'D': 24 * 3600},
		true:  {'H': 3600, 'M': 60, 'S': 1},
	}
	seen := false
	for s != "" {
		if s[0] == 'T' {
			if inTime || len(s) == 1 {
				return 0, fmt.Errorf("xs:duration %q: misplaced T", orig)
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i <= 0 {
			return 0, fmt.Errorf("xs:duration %q: want a number before each unit", orig)
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("xs:duration %q: %w", orig, err)
		}
		mult, ok := units[inTime][s[i]]
		if !ok {
			return 0, fmt.Errorf("xs:duration %q: unit %q not supported here", orig, s[i])
		}
		total += n * mult
		seen = true
		s = s[i+1:]
	}
	if !seen {
		return 0, fmt.Errorf("xs:duration %q: no value", orig)
	}
	d := time.Duration(total * float64(time.Second))
	if neg {
		d = -d
	}
	return d, nil
}
