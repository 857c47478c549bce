//go:build ignore

// gen writes licenses.json: the licence text of every module the project's
// binaries depend on, read from the module cache.
package main

import (
	"bytes"
	"encoding/json"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}\t{{.Dir}}{{end}}{{end}}", "../../cmd/...").Output()
	if err != nil {
		log.Fatalf("go list: %v", err)
	}
	texts := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		path, dir, ok := strings.Cut(line, "\t")
		if !ok || texts[path] != "" || dir == "" {
			continue
		}
		texts[path] = findLicense(dir)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(texts); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("licenses.json", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func findLicense(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			n := strings.ToUpper(e.Name())
			if strings.HasPrefix(n, "LICENSE") || strings.HasPrefix(n, "LICENCE") || strings.HasPrefix(n, "COPYING") {
				b, err := os.ReadFile(filepath.Join(d, e.Name()))
				if err == nil {
					return string(b)
				}
			}
		}
		if strings.Contains(filepath.Base(d), "@") || d == filepath.Dir(d) {
			return "no licence file found in " + filepath.Base(dir)
		}
	}
}
