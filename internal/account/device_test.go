package account

import "testing"

func TestDeviceOf(t *testing.T) {
	for ua, want := range map[string]Device{
		"Mozilla/5.0 (Linux; Android 14; SM-A146U) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36":                  {"Chrome", "Android", "phone"},
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1": {"Safari", "iOS", "phone"},
		"Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1":          {"Safari", "iOS", "tablet"},
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0":                                                        {"Firefox", "Windows", "computer"},
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0":     {"Edge", "macOS", "computer"},
		"": {},
	} {
		if got := DeviceOf(ua); got != want {
			t.Errorf("DeviceOf(%q) = %+v, want %+v", ua, got, want)
		}
	}
}
