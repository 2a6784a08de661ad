package onviftest

import "testing"

func TestScopeMatching(t *testing.T) {
	have := []string{"onvif://www.onvif.org/name/Front%20door", "onvif://www.onvif.org/Profile/Streaming"}
	tests := []struct {
		name  string
		wants []string
		by    string
		want  bool
	}{
		{"none asked", nil, "", true},
		{"whole scope", []string{"onvif://www.onvif.org/Profile/Streaming"}, "", true},
		{"segment prefix", []string{"onvif://www.onvif.org/name"}, matchRFC2396, true},
		{"host case-insensitive", []string{"onvif://WWW.ONVIF.ORG/Profile"}, "", true},
		{"partial segment", []string{"onvif://www.onvif.org/nam"}, "", false},
		{"one of two missing", []string{"onvif://www.onvif.org/Profile", "onvif://www.onvif.org/location/x"}, "", false},
		{"strcmp0 exact", []string{"onvif://www.onvif.org/Profile/Streaming"}, matchStrcmp0, true},
		{"strcmp0 prefix", []string{"onvif://www.onvif.org/Profile"}, matchStrcmp0, false},
		{"unknown rule", []string{"onvif://www.onvif.org/Profile"}, "urn:ldap", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scopesMatch(tt.wants, tt.by, have); got != tt.want {
				t.Errorf("scopesMatch(%q, %q) = %v, want %v", tt.wants, tt.by, got, tt.want)
			}
		})
	}
}
