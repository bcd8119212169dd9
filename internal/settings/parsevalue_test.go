package settings

import "testing"

func TestTruthy(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{
		"1": true, "true": true, "TRUE": true, "True": true, "yes": true, "YES": true, "on": true, "On": true, " 1 ": true,
		"": false, "0": false, "false": false, "no": false, "off": false, "2": false, "enabled": false, "y": false,
	} {
		if got := Truthy(v); got != want {
			t.Errorf("Truthy(%q) = %v", v, got)
		}
	}
}

func TestParseInt(t *testing.T) {
	t.Parallel()
	ok := map[string]int{
		"4096": 4096, " 1024 ": 1024, "64_000": 64000, "1_000_000": 1000000, "2e3": 2000, "2E3": 2000,
		"1.5e3": 1500, "600000": 600000, "0": 0, "-1": -1, "+5": 5, "3.0": 3,
	}
	for v, want := range ok {
		if got, err := ParseInt(v); err != nil || got != want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d", v, got, err, want)
		}
	}
	for _, v := range []string{"", " ", "abc", "1.5", "_1", "1_", "1__0", "1_e3", "0x10", "Inf", "NaN", "1e400", "9e18x", "1e19", "4096k"} {
		if got, err := ParseInt(v); err == nil {
			t.Errorf("ParseInt(%q) = %d, want an error", v, got)
		}
	}
}
