package tui

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/tui/common"
)

func TestConfigStoreRoundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "jetstream", "config.toml")
	s := ConfigStore{File: file}
	locs, err := s.Load()
	if err != nil || len(locs) != 0 {
		t.Fatalf("Load of a missing file = %v, %v; want none", locs, err)
	}
	want := []common.Location{
		{Name: "alpha", Address: "alpha.example.net", User: "bob", Rate: "500M", Policy: "fair"},
		{Name: "beta", Address: "10.0.0.7", APIPort: 9886, User: "backup", Cipher: "aes256", MinRate: "1000"},
	}
	if err := s.Save([]common.Location{want[1], want[0]}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load = %+v\nwant %+v", got, want)
	}
	c, err := config.LoadClient(file)
	if err != nil || c.Hosts["beta"].APIPort != 9886 {
		t.Errorf("config.LoadClient reads back %+v, %v", c, err)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, %v; want 0600", st.Mode(), err)
	}
}

func TestConfigStoreRefusals(t *testing.T) {
	dir := t.TempDir()
	s := ConfigStore{File: filepath.Join(dir, "config.toml")}
	if err := s.Save([]common.Location{{Name: "a", Address: "h"}, {Name: "a", Address: "g"}}); err == nil {
		t.Error("duplicate names saved")
	}
	if err := s.Save([]common.Location{{Name: "bad name", Address: "h"}}); err == nil {
		t.Error("invalid profile name saved")
	}
	broken := "[hosts.x]\naddress = \n"
	if err := os.WriteFile(s.File, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err == nil {
		t.Error("a broken file loaded")
	}
	if err := s.Save([]common.Location{{Name: "ok", Address: "h"}}); err == nil || !strings.Contains(err.Error(), "not saving") {
		t.Errorf("Save over a broken file: %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(s.File); string(b) != broken {
		t.Error("the broken file was overwritten")
	}
}

func TestResolveTarget(t *testing.T) {
	saved := []common.Location{{Name: "alpha", Address: "alpha.example.net", User: "bob"}}
	tests := []struct {
		in      string
		want    common.Location
		wantErr bool
	}{
		{"alpha", saved[0], false},
		{"carol@alpha", common.Location{Address: "alpha", User: "carol"}, false},
		{"host.example:9000", common.Location{Address: "host.example", APIPort: 9000}, false},
		{"[::1]:8886", common.Location{Address: "::1", APIPort: 8886}, false},
		{"", common.Location{}, true},
		{"host:99999", common.Location{}, true},
	}
	for _, tt := range tests {
		got, err := resolveTarget(tt.in, saved)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("resolveTarget(%q) = %+v, %v; want %+v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
