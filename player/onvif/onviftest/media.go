package onviftest

import (
	"fmt"
	"net/http"
	"strings"
)

// mediaOperations are the media service (ver10) operations.
var mediaOperations = map[string]operation{
	"GetProfiles":                         getProfiles,
	"GetProfile":                          getProfile,
	"GetStreamUri":                        getStreamURI,
	"GetSnapshotUri":                      getSnapshotURI,
	"GetVideoSources":                     getVideoSources,
	"GetVideoEncoderConfigurations":       getVideoEncoderConfigurations,
	"GetVideoEncoderConfiguration":        getVideoEncoderConfiguration,
	"GetVideoEncoderConfigurationOptions": getVideoEncoderConfigurationOptions,
}

// The device has one video source; every profile takes it whole.
const (
	sourceToken       = "vs0"
	sourceConfigToken = "vsc0"
	sourceWidth       = 1920
	sourceHeight      = 1080
)

func encoderToken(p Profile) string { return "vec_" + p.Token }

func encoderXML(tag string, p Profile, uses int) string {
	return fmt.Sprintf(`<%s token="%s"><tt:Name>%s</tt:Name><tt:UseCount>%d</tt:UseCount><tt:Encoding>H264</tt:Encoding>`+
		`<tt:Resolution><tt:Width>%d</tt:Width><tt:Height>%d</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>`+
		`<tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl>`+
		`<tt:H264><tt:GovLength>50</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>`+
		`<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>`+
		`<tt:SessionTimeout>PT60S</tt:SessionTimeout></%s>`,
		tag, esc(encoderToken(p)), esc(p.Name), uses, p.Width, p.Height, tag)
}

func profileXML(tag string, p Profile, profiles int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<%s token="%s" fixed="true"><tt:Name>%s</tt:Name>`, tag, esc(p.Token), esc(p.Name))
	fmt.Fprintf(&b, `<tt:VideoSourceConfiguration token="%s"><tt:Name>source</tt:Name><tt:UseCount>%d</tt:UseCount>`+
		`<tt:SourceToken>%s</tt:SourceToken><tt:Bounds x="0" y="0" width="%d" height="%d"/></tt:VideoSourceConfiguration>`,
		sourceConfigToken, profiles, sourceToken, sourceWidth, sourceHeight)
	b.WriteString(encoderXML("tt:VideoEncoderConfiguration", p, 1))
	if p.PTZ {
		b.WriteString(ptzConfigurationXML("tt:PTZConfiguration"))
	}
	fmt.Fprintf(&b, `</%s>`, tag)
	return b.String()
}

func getProfiles(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	ps := d.profilesNow()
	var b strings.Builder
	b.WriteString(`<trt:GetProfilesResponse>`)
	for _, p := range ps {
		b.WriteString(profileXML("trt:Profiles", p, len(ps)))
	}
	b.WriteString(`</trt:GetProfilesResponse>`)
	return b.String(), nil
}

// profileArg is the profile a request names in its ProfileToken.
func (d *Device) profileArg(op *node) (Profile, *soapFault) {
	token := op.child("", "ProfileToken").value()
	p, ok := d.profile(token)
	if !ok {
		return Profile{}, senderFault("ter:InvalidArgVal/ter:NoProfile", fmt.Sprintf("no profile %q", token))
	}
	return p, nil
}

func getProfile(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	p, f := d.profileArg(op)
	if f != nil {
		return "", f
	}
	return `<trt:GetProfileResponse>` + profileXML("trt:Profile", p, len(d.profilesNow())) + `</trt:GetProfileResponse>`, nil
}

func mediaURI(uri string) string {
	return `<trt:MediaUri><tt:Uri>` + esc(uri) + `</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
		`<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>`
}

func getStreamURI(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	p, f := d.profileArg(op)
	if f != nil {
		return "", f
	}
	if p.StreamURI == "" {
		return "", senderFault("ter:InvalidArgVal/ter:NoProfile", fmt.Sprintf("profile %q has no stream", p.Token))
	}
	return `<trt:GetStreamUriResponse>` + mediaURI(p.StreamURI) + `</trt:GetStreamUriResponse>`, nil
}

func getSnapshotURI(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	p, f := d.profileArg(op)
	if f != nil {
		return "", f
	}
	if p.SnapshotURI == "" {
		return "", senderFault("ter:InvalidArgVal/ter:NoProfile", fmt.Sprintf("profile %q has no snapshot", p.Token))
	}
	return `<trt:GetSnapshotUriResponse>` + mediaURI(p.SnapshotURI) + `</trt:GetSnapshotUriResponse>`, nil
}

func getVideoSources(_ *Device, _ *http.Request, _ *node) (string, *soapFault) {
	return fmt.Sprintf(`<trt:GetVideoSourcesResponse><trt:VideoSources token="%s"><tt:Framerate>25</tt:Framerate>`+
		`<tt:Resolution><tt:Width>%d</tt:Width><tt:Height>%d</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`,
		sourceToken, sourceWidth, sourceHeight), nil
}

func getVideoEncoderConfigurations(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	var b strings.Builder
	b.WriteString(`<trt:GetVideoEncoderConfigurationsResponse>`)
	for _, p := range d.profilesNow() {
		b.WriteString(encoderXML("trt:Configurations", p, 1))
	}
	b.WriteString(`</trt:GetVideoEncoderConfigurationsResponse>`)
	return b.String(), nil
}

// encoderArg is the profile whose encoder configuration a request names.
func (d *Device) encoderArg(op *node) (Profile, *soapFault) {
	token := op.child("", "ConfigurationToken").value()
	for _, p := range d.profilesNow() {
		if encoderToken(p) == token {
			return p, nil
		}
	}
	// A client that lost track of configuration tokens may name the
	// profile instead (GetVideoEncoderConfigurationOptions allows it).
	if p, ok := d.profile(op.child("", "ProfileToken").value()); ok {
		return p, nil
	}
	return Profile{}, senderFault("ter:InvalidArgVal/ter:NoConfig", fmt.Sprintf("no video encoder configuration %q", token))
}

func getVideoEncoderConfiguration(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	p, f := d.encoderArg(op)
	if f != nil {
		return "", f
	}
	return `<trt:GetVideoEncoderConfigurationResponse>` + encoderXML("trt:Configuration", p, 1) +
		`</trt:GetVideoEncoderConfigurationResponse>`, nil
}

func getVideoEncoderConfigurationOptions(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	var res strings.Builder
	for _, p := range d.profilesNow() {
		fmt.Fprintf(&res, `<tt:ResolutionsAvailable><tt:Width>%d</tt:Width><tt:Height>%d</tt:Height></tt:ResolutionsAvailable>`, p.Width, p.Height)
	}
	return `<trt:GetVideoEncoderConfigurationOptionsResponse><trt:Options>` +
		`<tt:QualityRange><tt:Min>1</tt:Min><tt:Max>10</tt:Max></tt:QualityRange>` +
		`<tt:H264>` + res.String() +
		`<tt:GovLengthRange><tt:Min>1</tt:Min><tt:Max>300</tt:Max></tt:GovLengthRange>` +
		`<tt:FrameRateRange><tt:Min>1</tt:Min><tt:Max>30</tt:Max></tt:FrameRateRange>` +
		`<tt:EncodingIntervalRange><tt:Min>1</tt:Min><tt:Max>1</tt:Max></tt:EncodingIntervalRange>` +
		`<tt:H264ProfilesSupported>Main</tt:H264ProfilesSupported></tt:H264>` +
		`</trt:Options></trt:GetVideoEncoderConfigurationOptionsResponse>`, nil
}
