package triggers

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRunArgsStdinDirEnv(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "probe", `#!/bin/sh
printf '%s\n' "$#" "$@" > args
cat > stdin
pwd > cwd
echo "pw=${JETSTREAM_API_PASSWORD-unset} other=${JETSTREAM_OTHER-unset} lic=${JETSTREAM_LICENSE_PASSWORD-unset}" > env
`)
	r, res := newRunner(t, Config{Dir: dir, Environ: func() []string {
		return append(os.Environ(), "JETSTREAM_API_PASSWORD=hunter2", "JETSTREAM_OTHER=kept", "JETSTREAM_LICENSE_PASSWORD=x")
	}})
	args := []string{"a b", "", "it's", `{"x":[1,2]}`, "ünï"}
	if err := r.Fire(Call{Name: "probe", Args: args, Stdin: []byte("line1\nline2")}); err != nil {
		t.Fatal(err)
	}
	got := res.next(t)
	if !got.Ran || got.ExitCode != 0 || got.Err != nil || got.Status() != "0" {
		t.Fatalf("result %+v, status %q", got, got.Status())
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if want := "5\n" + strings.Join(args, "\n") + "\n"; read("args") != want {
		t.Errorf("args = %q, want %q", read("args"), want)
	}
	if read("stdin") != "line1\nline2" {
		t.Errorf("stdin = %q", read("stdin"))
	}
	if cwd := strings.TrimSpace(read("cwd")); cwd != r.Dir() {
		t.Errorf("cwd = %q, want %q", cwd, r.Dir())
	}
	if e := read("env"); e != "pw=unset other=kept lic=unset\n" {
		t.Errorf("env = %q", e)
	}
}

func TestFireRefusals(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "exists", "#!/bin/sh\n")
	r, res := newRunner(t, Config{Dir: dir})
	for _, tc := range []struct {
		name string
		want error
	}{
		{"missing", ErrNoTrigger},
		{"", ErrBadName},
		{"../exists", ErrBadName},
		{"/bin/sh", ErrBadName},
		{"..", ErrBadName},
		{".exists", ErrBadName},
		{"on.a/b", ErrBadName},
		{"a\x00b", ErrBadName},
		{"-rf", ErrBadName},
		{"exists", nil},
	} {
		if err := r.Fire(Call{Name: tc.name}); !errors.Is(err, tc.want) {
			t.Errorf("Fire(%q) = %v, want %v", tc.name, err, tc.want)
		}
	}
	res.next(t)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Fire(Call{Name: "exists"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Fire after Close = %v, want ErrClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("New without Dir succeeded")
	}
	if _, err := New(Config{Dir: t.TempDir(), Timeout: -time.Second}); err == nil {
		t.Error("New with negative timeout succeeded")
	}
}

func TestSkipsWhatIsNotRunnable(t *testing.T) {
	dir := t.TempDir()
	writeMode(t, dir, "plain", "#!/bin/sh\necho ran > ran\n", 0o644)
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	script(t, dir, "gone", "#!/bin/sh\n")
	var log syncBuffer
	r, res := newRunner(t, Config{Dir: dir, Log: &log})
	fire(t, r, "plain")
	fire(t, r, "adir")
	for _, want := range []string{"not executable (mode -rw-r--r--; chmod +x to enable it)", "not a regular file (d---------)"} {
		got := res.next(t)
		if !got.Skipped || got.Ran || got.Err == nil || got.Status() != "skipped: "+want {
			t.Errorf("result %+v status %q, want skipped: %s", got, got.Status(), want)
		}
	}
	// Removed between Fire and its turn.
	os.Remove(filepath.Join(dir, "gone"))
	r.queue <- Call{Name: "gone"}
	if got := res.next(t); got.Status() != "skipped: no longer exists" {
		t.Errorf("status %q", got.Status())
	}
	if _, err := os.Stat(filepath.Join(dir, "ran")); err == nil {
		t.Error("a non-executable trigger ran")
	}
	if s := log.String(); !strings.Contains(s, " skip plain: not executable") || !strings.Contains(s, " skip adir: not a regular file") {
		t.Errorf("log lacks skip lines:\n%s", s)
	}
	if st := r.Stats(); st.Skipped != 3 || st.Ran != 0 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
}

// The product's shell examples (reference/003) have no "#!" line: run them
// with /bin/sh as a shell would.
func TestScriptWithoutShebangRunsUnderSh(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "launch", `echo "port "$1 >> log.txt`+"\n")
	r, res := newRunner(t, Config{Dir: dir})
	fire(t, r, "launch", "8886")
	if got := res.next(t); got.Err != nil {
		t.Fatal(got.Err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "log.txt")); string(b) != "port 8886\n" {
		t.Errorf("log.txt = %q", b)
	}
}

func TestFailuresAreRecorded(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "exit3", "#!/bin/sh\nexit 3\n")
	script(t, dir, "badinterp", "#!/nonexistent/interpreter\n")
	script(t, dir, "selfkill", "#!/bin/sh\nkill -TERM $$\n")
	r, res := newRunner(t, Config{Dir: dir})
	fire(t, r, "exit3")
	fire(t, r, "badinterp")
	fire(t, r, "selfkill")
	if got := res.next(t); !got.Ran || got.ExitCode != 3 || got.Err == nil || got.Status() != "3" {
		t.Errorf("exit3: %+v %q", got, got.Status())
	}
	if got := res.next(t); got.Ran || got.Err == nil || !strings.Contains(got.Status(), "no such file") {
		t.Errorf("badinterp: %+v %q", got, got.Status())
	}
	if got := res.next(t); !got.Ran || got.ExitCode != -1 || got.Status() != "trigger selfkill: signal: terminated" {
		t.Errorf("selfkill: %+v %q", got, got.Status())
	}
	if st := r.Stats(); st.Failed != 3 || st.Ran != 2 || st.Queued != 3 {
		t.Errorf("stats %+v", st)
	}
}

// Execution is serial and in firing order, also when many goroutines fire at
// once: no two triggers overlap, and each firer's triggers run in its order.
func TestSerialOrderUnderLoad(t *testing.T) {
	dir := t.TempDir()
	// Shell built-ins only (forks are slow on a loaded machine): a run that
	// overlapped another would interleave its start and end lines.
	script(t, dir, "step", `#!/bin/sh
echo "start $1 $2" >> out
echo "end $1 $2" >> out
`)
	const firers, each = 4, 25
	r, res := newRunner(t, Config{Dir: dir, QueueSize: firers * each})
	var wg sync.WaitGroup
	for g := range firers {
		wg.Go(func() {
			for i := range each {
				fire(t, r, "step", fmt.Sprint(g), fmt.Sprint(i))
			}
		})
	}
	wg.Wait()
	for range firers * each {
		if got := res.next(t); got.Err != nil {
			t.Fatal(got.Err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2*firers*each {
		t.Fatalf("%d lines, want %d", len(lines), 2*firers*each)
	}
	next := make([]int, firers)
	for k := 0; k < len(lines); k += 2 {
		if end := "end" + strings.TrimPrefix(lines[k], "start"); lines[k+1] != end {
			t.Fatalf("lines %d-%d: %q then %q: runs overlapped", k, k+1, lines[k], lines[k+1])
		}
		var g, i int
		if _, err := fmt.Sscanf(lines[k], "start %d %d", &g, &i); err != nil {
			t.Fatalf("line %q: %v", lines[k], err)
		}
		if i != next[g] {
			t.Fatalf("firer %d: got step %d, want %d (order broken)", g, i, next[g])
		}
		next[g]++
	}
	if st := r.Stats(); st.Ran != firers*each || st.Dropped != 0 {
		t.Errorf("stats %+v", st)
	}
}

// A trigger that never exits blocks later triggers, never Fire: Fire keeps
// returning at once, drops (and logs) what the queue cannot hold, and the
// queued triggers run in order once the blocker ends.
func TestHangingTriggerBlocksOnlyLaterTriggers(t *testing.T) {
	dir := t.TempDir()
	gate := filepath.Join(dir, "gate")
	fifo(t, gate)
	script(t, dir, "hang", "#!/bin/sh\nread x < gate\n")
	script(t, dir, "after", "#!/bin/sh\necho $1 >> out\n")
	var log syncBuffer
	var slogBuf syncBuffer
	logger := slog.New(slog.NewTextHandler(&slogBuf, nil))
	r, res := newRunner(t, Config{Dir: dir, QueueSize: 3, Log: &log, Logger: logger})
	fire(t, r, "hang")
	// Wait until the worker has taken "hang" off the queue.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(log.String(), " run hang") {
		if time.Now().After(deadline) {
			t.Fatal("hang never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
	var queued, dropped int
	for i := range 10 {
		switch err := r.Fire(Call{Name: "after", Args: []string{fmt.Sprint(i)}}); {
		case err == nil:
			queued++
		case errors.Is(err, ErrQueueFull):
			dropped++
		default:
			t.Fatal(err)
		}
	}
	if queued != 3 || dropped != 7 {
		t.Fatalf("queued %d dropped %d, want 3 and 7", queued, dropped)
	}
	res.none(t)
	if n := strings.Count(log.String(), " drop after "); n != 7 {
		t.Errorf("%d drop lines in trigger log, want 7:\n%s", n, log.String())
	}
	if n := strings.Count(slogBuf.String(), "trigger queue full"); n != 1 {
		t.Errorf("%d server-log warnings, want 1:\n%s", n, slogBuf.String())
	}
	release(t, gate)
	for _, want := range []string{"hang", "after", "after", "after"} {
		if got := res.next(t); got.Call.Name != want || got.Err != nil {
			t.Fatalf("got %s (%v), want %s", got.Call.Name, got.Err, want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out")); string(b) != "0\n1\n2\n" {
		t.Errorf("out = %q", b)
	}
	if st := r.Stats(); st.Dropped != 7 || st.Queued != 4 || st.Ran != 4 {
		t.Errorf("stats %+v", st)
	}
}

// --trigger-timeout kills the trigger and what it started, and the next
// trigger runs.
func TestTimeoutKillsProcessGroup(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "slow", `#!/bin/sh
sleep 1000 &
echo $! > child
echo $$ > pid
wait
`)
	script(t, dir, "next", "#!/bin/sh\necho ran > next.out\n")
	var log syncBuffer
	r, res := newRunner(t, Config{Dir: dir, Timeout: 300 * time.Millisecond, Log: &log})
	fire(t, r, "slow")
	fire(t, r, "next")
	got := res.next(t)
	if !got.TimedOut || !got.Ran || got.ExitCode != -1 || got.Status() != "killed: timeout 300ms" {
		t.Fatalf("result %+v, status %q", got, got.Status())
	}
	waitDead(t, readPid(t, filepath.Join(dir, "pid")))
	waitDead(t, readPid(t, filepath.Join(dir, "child")))
	if got := res.next(t); got.Call.Name != "next" || got.Err != nil {
		t.Fatalf("next: %+v", got)
	}
	if !strings.Contains(log.String(), " end slow: status=killed: timeout 300ms duration=") {
		t.Errorf("log:\n%s", log.String())
	}
	if st := r.Stats(); st.TimedOut != 1 || st.Failed != 1 || st.Ran != 2 {
		t.Errorf("stats %+v", st)
	}
}

// Close lets queued triggers finish.
func TestCloseDrainsQueue(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "t", "#!/bin/sh\necho $1 >> out\n")
	r, _ := newRunner(t, Config{Dir: dir, CloseTimeout: time.Minute})
	for i := range 5 {
		fire(t, r, "t", fmt.Sprint(i))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out")); string(b) != "0\n1\n2\n3\n4\n" {
		t.Errorf("out = %q", b)
	}
}

// Close is bounded: it kills a hung trigger and discards the rest.
func TestCloseKillsHungTrigger(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "hang", "#!/bin/sh\necho $$ > pid\nsleep 1000\n")
	script(t, dir, "t", "#!/bin/sh\necho ran >> out\n")
	var log syncBuffer
	r, res := newRunner(t, Config{Dir: dir, CloseTimeout: 200 * time.Millisecond, Log: &log})
	fire(t, r, "hang")
	fire(t, r, "t")
	fire(t, r, "t")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, "pid")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("hang never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
	err := r.Close()
	if err == nil || !strings.Contains(err.Error(), "killed the running trigger, discarded 2 queued") {
		t.Fatalf("Close = %v", err)
	}
	waitDead(t, readPid(t, filepath.Join(dir, "pid")))
	if got := res.next(t); got.Status() != "killed: daemon stopping" {
		t.Errorf("hang: %q", got.Status())
	}
	for range 2 {
		if got := res.next(t); got.Err != errDiscarded || got.Status() != "discarded: daemon stopping" {
			t.Errorf("queued: %+v", got)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("a discarded trigger ran")
	}
	if st := r.Stats(); st.Discarded != 2 {
		t.Errorf("stats %+v", st)
	}
	if n := strings.Count(log.String(), " discard t: daemon stopping"); n != 2 {
		t.Errorf("log:\n%s", log.String())
	}
}

// The trigger log, byte for byte, on a fake clock.
func TestTriggerLogFormat(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "hello", "#!/bin/sh\necho out; echo err >&2; printf 'no newline'\n")
	script(t, dir, "fails", "#!/bin/sh\nexit 2\n")
	writeMode(t, dir, "plain", "", 0o600)
	var log syncBuffer
	clock := newFakeClock()
	r, res := newRunner(t, Config{Dir: dir, Log: &log, Now: clock.Now})
	fire(t, r, "hello", "8886", "two words", `{"a":"it's"}`, "tab\there")
	fire(t, r, "fails")
	fire(t, r, "plain")
	for range 3 {
		res.next(t)
	}
	golden(t, "trigger.log", []byte(log.String()))
}

func TestOutputIsCapped(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "chatty", "#!/bin/sh\ni=0\nwhile [ $i -lt 1000 ]; do echo 0123456789; i=$((i+1)); done\n")
	var log syncBuffer
	r, res := newRunner(t, Config{Dir: dir, Log: &log, MaxOutputBytes: 25})
	fire(t, r, "chatty")
	if got := res.next(t); got.Err != nil {
		t.Fatal(got.Err)
	}
	s := log.String()
	if !strings.Contains(s, "0123456789\n0123456789\n012\n[trigger output cut: 25 of 11000 bytes logged]\n") {
		t.Errorf("log:\n%s", s)
	}
}

// Without a trigger log the run is silent: stdout and stderr are /dev/null.
func TestSilentWithoutLog(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("needs /proc")
	}
	dir := t.TempDir()
	script(t, dir, "loud", "#!/bin/sh\na=$(readlink /proc/$$/fd/1)\nb=$(readlink /proc/$$/fd/2)\nprintf '%s\\n%s\\n' \"$a\" \"$b\" > fds.txt\necho to-stdout; echo to-stderr >&2\n")
	r, res := newRunner(t, Config{Dir: dir})
	fire(t, r, "loud")
	if got := res.next(t); got.Err != nil {
		t.Fatal(got.Err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "fds.txt")); string(b) != "/dev/null\n/dev/null\n" {
		t.Errorf("trigger output went to %q, want /dev/null", b)
	}
}

func TestQuoteArg(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"8886", "8886"},
		{"10.0.0.1:8886", "10.0.0.1:8886"},
		{"", "''"},
		{"two words", "'two words'"},
		{"it's", `'it'\''s'`},
		{"line\nbreak", `"line\nbreak"`},
		{strings.Repeat("é", 200), "'" + strings.Repeat("é", 128) + "'…(400 bytes)"},
	} {
		if got := quoteArg(tc.in); got != tc.want {
			t.Errorf("quoteArg(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTriggerEnv(t *testing.T) {
	got := triggerEnv([]string{"PATH=/bin", "JETSTREAM_API_PASSWORD=x", "JETSTREAM_API_PORT=1", "JETSTREAM_FOO_PASSWORD_FILE=y", "OTHER_PASSWORD=z", "JUNK"})
	want := []string{"PATH=/bin", "JETSTREAM_API_PORT=1", "OTHER_PASSWORD=z", "JUNK"}
	if !bytes.Equal([]byte(strings.Join(got, "|")), []byte(strings.Join(want, "|"))) {
		t.Errorf("triggerEnv = %q, want %q", got, want)
	}
}
