package locale

import "testing"

func TestUntranslatedFollowsThePOSIXPrecedenceOfLocaleVariables(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"C.UTF-8 in LANG", map[string]string{"LANG": "C.UTF-8"}, true},
		{"C.utf8 in LANG", map[string]string{"LANG": "C.utf8"}, true},
		{"plain C", map[string]string{"LANG": "C"}, true},
		{"POSIX", map[string]string{"LANG": "POSIX"}, true},
		{"POSIX with a codeset", map[string]string{"LANG": "POSIX.UTF-8"}, true},
		{"C with a modifier", map[string]string{"LANG": "C@euro"}, true},
		{"C with a codeset and a modifier", map[string]string{"LANG": "C.UTF-8@euro"}, true},
		{"a real locale", map[string]string{"LANG": "de_DE.UTF-8"}, false},
		{"a real locale with a modifier", map[string]string{"LANG": "de_DE@euro"}, false},
		{"a language named like C is not C", map[string]string{"LANG": "ca_ES.UTF-8"}, false},
		{"nothing set", map[string]string{}, false},
		{"only LANGUAGE set", map[string]string{"LANGUAGE": "de"}, false},
		{"LC_ALL over LANG", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, true},
		{"LC_ALL real over LANG C", map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "C.UTF-8"}, false},
		{"LC_MESSAGES over LANG", map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "de_DE.UTF-8"}, true},
		{"LC_MESSAGES real over LANG C", map[string]string{"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "C.UTF-8"}, false},
		{"LC_ALL over LC_MESSAGES", map[string]string{"LC_ALL": "C.UTF-8", "LC_MESSAGES": "de_DE.UTF-8"}, true},
		{"an empty LC_ALL counts as unset", map[string]string{"LC_ALL": "", "LANG": "C.UTF-8"}, true},
		{"other categories do not count", map[string]string{"LC_CTYPE": "C.UTF-8", "LANG": "de_DE.UTF-8"}, false},
		{"LANGUAGE does not make C translated", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "de"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := untranslated(func(k string) string { return tc.env[k] }); got != tc.want {
				t.Errorf("untranslated(%v) = %v, want %v", tc.env, got, tc.want)
			}
		})
	}
}
