package scenario

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultMatrixParses(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	smoke, err := m.Select([]string{"smoke"})
	if err != nil {
		t.Fatal(err)
	}
	c := smoke[0]
	if c.RateMbit != 100 || c.RTT.Duration != 20*time.Millisecond || c.LossPct != 0.5 || c.Duration.Duration != 10*time.Second {
		t.Fatalf("smoke cell = %+v", c)
	}
	// Every cell builds a valid emulator configuration.
	for _, c := range m.Cells {
		if _, _, err := c.LinkConfigs(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}

func TestDefaultsAndLinkConfigs(t *testing.T) {
	m, err := Parse([]byte(`
[defaults]
duration = "30s"
tools = ["iperf3-cubic"]

[[cell]]
name = "a"
rate_mbit = 500
rtt = "100ms"
loss_pct = 1
reverse_loss_pct = 0.5
gilbert_elliott = { p_pct = 1, r_pct = 25, loss_bad_pct = 50 }
`))
	if err != nil {
		t.Fatal(err)
	}
	c := m.Cells[0]
	if c.Duration.Duration != 30*time.Second || len(c.Tools) != 1 || c.Queue.Duration != 100*time.Millisecond || c.Seed != 1 || c.Repeat != 1 {
		t.Fatalf("defaults not applied: %+v", c)
	}
	ab, ba, err := c.LinkConfigs()
	if err != nil {
		t.Fatal(err)
	}
	if ab.Delay != 50*time.Millisecond || ab.Rate != 500_000_000 || ab.Loss != 0.01 || ba.Loss != 0.005 ||
		ab.QueueLimit != 100*time.Millisecond || ab.GE.P != 0.01 || ab.GE.R != 0.25 || ab.GE.LossBad != 0.5 || ba.GE.P != 0 {
		t.Fatalf("ab=%+v ba=%+v", ab, ba)
	}
	if got := c.Describe(); !strings.Contains(got, "500 Mbit/s, RTT 100ms, loss 1% (reverse 0.5%)") {
		t.Fatalf("Describe() = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	base := "[defaults]\nduration = \"10s\"\ntools = [\"scp\"]\n"
	tests := []struct{ toml, want string }{
		{"", "no [[cell]]"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\nbogus = 1\n", "bogus"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = \"fast\"\n", "line"},
		{base + "[[cell]]\nname = \"X Y\"\nrate_mbit = 10\n", "name"},
		{base + "[[cell]]\nname = \"x\"\n", "rate_mbit"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\nrtt = \"fast\"\n", "bad duration"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\nloss_pct = 120\n", "loss_pct"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\nduration = \"1h\"\n", "duration"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\ntools = [\"ftp\"]\n", "unknown tool"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\nflows = [\"scp\"]\n", "flows needs 2 to 4"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\ntools = [\"scp\"]\nflows = [\"scp\", \"scp\"]\n", "not both"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\ntools = [\"scp\", \"scp\"]\n", "listed twice"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\n[[cell]]\nname = \"x\"\nrate_mbit = 10\n", "used twice"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\ngilbert_elliott = { p_pct = 1, r_pct = 0, loss_bad_pct = 1 }\n", "r_pct is 0"},
		{"[[cell]]\nname = \"x\"\nrate_mbit = 10\n", "duration"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\ntarget_fraction = 2\n", "target_fraction"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\nrepeat = 6\n", "repeat 6 must be in [1, 5]"},
		{base + "[[cell]]\nname = \"x\"\nrate_mbit = 10\nrepeat = -1\n", "repeat -1"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.toml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", tt.toml, err, tt.want)
		}
	}
}

func TestSelect(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Select([]string{"nope"}); err == nil || !strings.Contains(err.Error(), `no cell named "nope"`) {
		t.Fatalf("Select(nope) = %v", err)
	}
	all, _ := m.Select(nil)
	if len(all) != len(m.Cells) {
		t.Fatal("Select(nil) is not every cell")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(DefaultTOML())
	f.Add([]byte("[[cell]]\nname=\"a\"\nrate_mbit=1\nduration=\"2s\"\ntools=[\"scp\"]\n"))
	f.Add([]byte("cell = 5"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		for _, c := range m.Cells {
			if err := c.Validate(); err != nil {
				t.Fatalf("Parse returned an invalid cell: %v", err)
			}
			if _, _, err := c.LinkConfigs(); err != nil {
				t.Fatalf("valid cell with invalid link: %v", err)
			}
		}
	})
}
