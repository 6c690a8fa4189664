package account

import "github.com/mileusna/useragent"

// Device is what a session's User-Agent says a person would recognise: the
// browser, the system and the kind of device ("phone", "tablet",
// "computer"; "" when it does not say). Empty fields are unknown.
type Device struct{ Browser, System, Kind string }

// DeviceOf reads a User-Agent header, so the sessions list can say "Chrome
// on Android, phone" instead of showing the raw header.
func DeviceOf(userAgent string) Device {
	ua := useragent.Parse(userAgent)
	d := Device{Browser: ua.Name, System: ua.OS}
	switch {
	case ua.Tablet:
		d.Kind = "tablet"
	case ua.Mobile:
		d.Kind = "phone"
	case ua.Desktop:
		d.Kind = "computer"
	}
	return d
}
