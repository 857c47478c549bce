package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnsurePAMService(t *testing.T) {
	tests := []struct {
		name     string
		existing []string // files already in the pam.d directory
		want     string   // expected line in the created file; "" = none created
		wantErr  string
		wantMsg  string
	}{
		{"debian", []string{"common-auth", "common-account"}, "@include common-auth", "", "Debian"},
		{"debian account", []string{"common-auth"}, "@include common-account", "", "created"},
		{"redhat", []string{"system-auth"}, "auth       include      system-auth", "", "Red Hat"},
		{"both prefers debian", []string{"system-auth", "common-auth"}, "@include common-auth", "", "Debian"},
		{"exists", []string{"common-auth", "jetstream"}, "", "", "exists"},
		{"unknown distribution", []string{"login"}, "", "create it by hand", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tc.existing {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("# "+f+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			msg, err := ensurePAMService(dir, "jetstream")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("message %q, want %q", msg, tc.wantMsg)
			}
			b, err := os.ReadFile(filepath.Join(dir, "jetstream"))
			switch {
			case tc.want == "" && tc.wantErr == "":
				if string(b) != "# jetstream\n" {
					t.Errorf("existing file changed to %q", b)
				}
			case tc.want == "":
				if err == nil {
					t.Errorf("file created: %q", b)
				}
			default:
				if !strings.Contains(string(b), tc.want+"\n") {
					t.Errorf("content %q lacks %q", b, tc.want)
				}
				fi, _ := os.Stat(filepath.Join(dir, "jetstream"))
				if fi.Mode().Perm() != 0o644 {
					t.Errorf("mode %v", fi.Mode())
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
}

func TestCheckServiceName(t *testing.T) {
	for s, ok := range map[string]bool{"jetstream": true, "jetstream-test_1.x": true, "..": false, ".": false, "a/b": false, "a\x00": false, strings.Repeat("s", 65): false} {
		if err := checkServiceName(s); (err == nil) != ok {
			t.Errorf("checkServiceName(%q) = %v", s, err)
		}
	}
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }
