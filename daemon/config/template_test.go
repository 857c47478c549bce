package config

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("%s differs from Template(); run go test -update after checking the change:\n%s", path, got)
	}
}

func TestTemplateGolden(t *testing.T) {
	golden(t, "jetstream.toml.golden", Template())
}

// assignment matches a commented-out "# key = value" line.
var assignment = regexp.MustCompile(`^# ([a-z-]+ = .*)$`)

func TestTemplateParsesBackToDefaults(t *testing.T) {
	tpl := Template()

	// As installed, every key is commented out: the file changes nothing.
	f, err := Parse("jetstream.toml", []byte(tpl))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Names()) != 0 {
		t.Fatalf("template sets %v", f.Names())
	}
	s := Default()
	if err := f.Apply(&s); err != nil || !reflect.DeepEqual(s, Default()) {
		t.Fatalf("applying the template changed the defaults: %v", err)
	}

	// Uncommented, it sets every key, strictly, to the root defaults.
	var lines []string
	for _, l := range strings.Split(tpl, "\n") {
		if len(l) > 80 {
			t.Errorf("line longer than 80 bytes: %q", l)
		}
		if m := assignment.FindStringSubmatch(l); m != nil {
			l = m[1]
		}
		lines = append(lines, l)
	}
	f, err = Parse("jetstream.toml", []byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); !reflect.DeepEqual(got, keyNames) {
		t.Fatalf("uncommented template sets\n%v\nwant every key in order\n%v", got, keyNames)
	}
	var got Server
	if err := f.Apply(&got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, defaults(rootEnv)) {
		t.Fatalf("uncommented template = %+v\nwant root defaults %+v", got, defaults(rootEnv))
	}
	for _, k := range Keys() {
		if !strings.Contains(tpl, "\n# "+k.Help+"\n# "+k.Name+" = "+k.Default+"\n") {
			t.Errorf("template lacks help and default of %s", k.Name)
		}
	}
}
