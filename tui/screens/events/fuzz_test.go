package events

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzEventRows: any event a server streams is listed and drawn without a
// panic and without a control sequence reaching the screen.
func FuzzEventRows(f *testing.F) {
	for _, s := range []string{
		`{"eventName":"transferStarted","timestamp":1,"seq":1,"transferId":"a"}`,
		`{"eventName":"\u001b[2J","timestamp":-9223372036854775808,"note":"\u001b]0;x\u0007"}`,
		`{"eventName":"x","timestamp":9223372036854775807,"nested":{"a":[1,{"b":null}]},"f":1e308}`,
		`{"timestamp":"soon"}`,
		`{}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		m, _, _ := setup(t)
		var ev = ev("", 0, 0, nil)
		if err := json.Unmarshal([]byte(raw), &ev); err != nil {
			return
		}
		m.Add("srv\x1b[2J", ev)
		for _, w := range [][2]int{{80, 24}, {20, 3}} {
			m.SetSize(w[0], w[1])
			if v := m.View(); strings.ContainsAny(v, "\x1b\x07\x00") {
				t.Fatalf("a control character reached the view:\n%q", v)
			}
		}
	})
}
