package transfers

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// FuzzTransferRows: whatever transfer list a server returns (negative or
// huge counters, odd statuses, control characters in names), listing and
// drawing it, with the details pane, neither panics nor lets a control
// sequence reach the screen.
func FuzzTransferRows(f *testing.F) {
	for _, s := range []string{
		`[{"transferId":"a","status":"active","totalBytes":100,"bytesAcked":50,"currentRate":800}]`,
		`[{"transferId":"a","status":"active","totalBytes":-5,"bytesAcked":9223372036854775807,"currentRate":-1}]`,
		`[{"transferId":"\u001b[2J","status":"\u001b]0;x\u0007","errorMessage":"\u001b[31mred","currentFile":"\u0000"}]`,
		`[{"transferId":"a","blocksSent":-1,"blocksRetransmitted":9223372036854775807,"startTime":-9223372036854775808,"endTime":1}]`,
		`[{"transferId":"a","status":"complete","totalBytes":0},{"transferId":"a"},{"transferId":""}]`,
		`[{"transferId":"a","status":"active","currentRate":1e308,"totalBytes":9223372036854775807,"roundTripTimeMs":1e308}]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		var ts []api.Transfer
		if err := json.Unmarshal([]byte(list), &ts); err != nil {
			return
		}
		e := newEnv(t, ts...)
		for _, w := range [][2]int{{80, 24}, {120, 40}, {20, 5}} {
			e.m.SetSize(w[0], w[1])
			for _, details := range []bool{false, true} {
				e.m.details = details
				v := e.m.View()
				if strings.ContainsAny(v, "\x1b\x07\x00") {
					t.Fatalf("a control character reached the view:\n%q", v)
				}
			}
		}
		e.key("j", "enter", "k")
	})
}
