package netns

import "testing"

const ipLinkSample = `[{"ifindex":2,"ifname":"jsb0","flags":["POINTOPOINT","UP"],"mtu":1500,"stats64":{"rx":{"bytes":100,"packets":3,"errors":0,"dropped":1},"tx":{"bytes":200,"packets":4,"errors":0,"dropped":7}}}]`

func TestParseLinkStats(t *testing.T) {
	s, err := parseLinkStats([]byte(ipLinkSample))
	if err != nil || s != (LinkStats{TxPackets: 4, TxDropped: 7, RxPackets: 3, RxDropped: 1}) {
		t.Fatalf("parseLinkStats = %+v, %v", s, err)
	}
	for _, bad := range []string{"", "{}", "[]", `[{},{}]`, `[{"stats64":{"tx":{"dropped":-1}}}]`} {
		if _, err := parseLinkStats([]byte(bad)); err == nil {
			t.Errorf("parseLinkStats(%q) accepted", bad)
		}
	}
}

func FuzzParseLinkStats(f *testing.F) {
	f.Add([]byte(ipLinkSample))
	f.Add([]byte(`[{"stats64":{}}]`))
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = parseLinkStats(b) })
}
