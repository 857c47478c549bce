package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestSourceChangedDuringTransfer: a file rewritten while it is being sent
// fails with an error naming it; it never lands with mixed content, and the
// other files complete.
func TestSourceChangedDuringTransfer(t *testing.T) {
	skipShort(t)
	t.Parallel() // rate-limited: mostly waiting
	p := newPair(t, "")
	p.destination("", resumeRate) // 5 MB/s: the big file takes about 5 s
	big := p.file("big.bin", resumeBig)
	small := p.file("a-small.txt", 5000)
	id := p.send()
	p.waitAcked(id, 1<<20)
	// Rewrite the last 2 MiB in place: same size, new content. The sender
	// reads at most ReadAhead blocks (256 × ≤64 KiB = 16 MiB) ahead of the
	// wire, so this part has not been read yet (≥1 s of slack at 5 MB/s).
	f, err := os.OpenFile(filepath.Join(p.src, "big.bin"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	changed := make([]byte, 2<<20)
	for i := range changed {
		changed[i] = 0xA5
	}
	if _, err := f.WriteAt(changed, resumeBig-2<<20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	tr := p.wait(id, 60*time.Second)
	msg := deref(tr.ErrorMessage)
	if tr.Status != api.TransferError || !strings.Contains(msg, "big.bin") || !strings.Contains(msg, "source_changed") {
		t.Fatalf("transfer ended %s (%q); want error naming big.bin with source_changed", tr.Status, msg)
	}
	if tr.FilesFailed != 1 {
		t.Errorf("filesFailed = %d, want 1", tr.FilesFailed)
	}
	p.checkLanded(map[string][]byte{"a-small.txt": small})
	if got, err := os.ReadFile(filepath.Join(p.landed, "big.bin")); err == nil {
		t.Errorf("big.bin landed (%d bytes, same as original: %v) although its source changed", len(got), bytes.Equal(got, big))
	}
	t.Logf("error: %s", msg)
}

// TestUnreadableSourceFile: a file the owner cannot read fails with its
// reason; the others complete. The server runs as root in CI, so this also
// proves it reads with the owner's identity, not its own.
func TestUnreadableSourceFile(t *testing.T) {
	p := newPair(t, "")
	p.destination("", 0)
	ok1 := p.file("one.txt", 3000)
	ok2 := p.file("sub/two.bin", 300_000)
	p.file("secret.bin", 4000)
	if err := os.Chmod(filepath.Join(p.src, "secret.bin"), 0); err != nil {
		t.Fatal(err)
	}
	id := p.send()
	tr := p.wait(id, 30*time.Second)
	msg := deref(tr.ErrorMessage)
	if tr.Status != api.TransferError || !strings.Contains(msg, "secret.bin") || !strings.Contains(msg, "permission denied") {
		t.Fatalf("transfer ended %s (%q); want error naming secret.bin with permission denied", tr.Status, msg)
	}
	if tr.FilesFailed != 1 || tr.FilesDone < 2 {
		t.Errorf("filesDone %d filesFailed %d, want ≥2 and 1", tr.FilesDone, tr.FilesFailed)
	}
	p.checkLanded(map[string][]byte{"one.txt": ok1, "sub/two.bin": ok2})
	if _, err := os.Stat(filepath.Join(p.landed, "secret.bin")); err == nil {
		t.Error("secret.bin landed although its owner cannot read it")
	}
	t.Logf("error: %s", msg)
}

// TestSourceSwappedForLinkIsNotRead: a user lists a file of their own, then
// replaces it with a link to a file only root can read, with the same size
// and modification time. The server must not send that file.
func TestSourceSwappedForLinkIsNotRead(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the attack is a user making a root server read for them")
	}
	p := newPair(t, "")
	p.destination("", 0)
	secretDir := t.TempDir() // 0700 root
	secret := filepath.Join(secretDir, "shadow")
	if err := os.WriteFile(secret, []byte("root-only secret data 0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	bait := filepath.Join(p.src, "bait")
	p.file("bait", 32)
	mt := time.Unix(1700000000, 0)
	os.Chtimes(secret, mt, mt)
	os.Chtimes(bait, mt, mt)
	// Hold the transfer until the swap: suspend right away.
	var m api.Manifest
	if err := p.ca.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{bait + ":/bait"}}, &m); err != nil {
		t.Fatal(err)
	}
	if err := p.ca.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		t.Fatal(err)
	}
	os.Remove(bait)
	if err := os.Symlink(secret, bait); err != nil {
		t.Fatal(err)
	}
	var tr api.Transfer
	if err := p.ca.Call(bg, "send.createTransfer", map[string]any{"destinationId": p.destID, "manifestId": m.ManifestID, "destinationPath": "/in"}, &tr); err != nil {
		t.Fatal(err)
	}
	tr = p.wait(tr.TransferID, 30*time.Second)
	if got, err := os.ReadFile(filepath.Join(p.landed, "bait")); err == nil {
		t.Fatalf("the server read a root-only file for a user through a swapped link: landed %q", got)
	}
	msg := deref(tr.ErrorMessage)
	if tr.Status != api.TransferError || !strings.Contains(msg, "bait") || !strings.Contains(msg, "source_changed") {
		t.Fatalf("transfer ended %s (%q), want error naming bait with source_changed", tr.Status, msg)
	}
	t.Logf("error: %s", msg)
}

// TestReceiverDiskFull: the receiver's sandbox is an 8 MiB tmpfs and a 12 MiB
// file arrives. Both sides report ENOSPC, the partfile stays, and after space
// is freed (remount bigger) resumeTransfer completes it.
func TestReceiverDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs as the receiver's sandbox")
	}
	root := daemontest.OpenDir(t)
	mnt := filepath.Join(root, "fs")
	os.Mkdir(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s)", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	p := newPair(t, mnt)
	p.destination("", 0)
	big := p.file("big.bin", 12<<20)
	id := p.send()
	tr := p.wait(id, 30*time.Second)
	msg := deref(tr.ErrorMessage)
	if tr.Status != api.TransferError || !mentionsENOSPC(msg) {
		t.Fatalf("sender: transfer ended %s (%q); want error naming ENOSPC", tr.Status, msg)
	}
	t.Logf("sender error: %s", msg)
	var recv struct {
		Transfers []api.RecvTransfer `json:"transfers"`
	}
	if err := p.b.login("bob", bobPW).Async(bg, "recv.getTransfersAsync", nil, &recv); err != nil {
		t.Fatal(err)
	}
	if len(recv.Transfers) != 1 || recv.Transfers[0].Status != "error" || !mentionsENOSPC(recv.Transfers[0].LastErrorMessage) {
		b, _ := json.Marshal(recv)
		t.Fatalf("receiver view: %s; want one transfer in error naming ENOSPC", b)
	}
	t.Logf("receiver error: %s", recv.Transfers[0].LastErrorMessage)
	parts := partfiles(t, p.landed)
	if len(parts) != 1 {
		t.Fatalf("partfiles after disk full: %v, want one", parts)
	}
	if out, err := exec.Command("mount", "-o", "remount,size=64m", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount bigger: %v: %s", err, out)
	}
	if err := p.ca.Call(bg, "send.resumeTransfer", map[string]any{"transferId": id}, nil); err != nil {
		t.Fatalf("resumeTransfer: %v", err)
	}
	tr = p.wait(id, 30*time.Second)
	if tr.Status != api.TransferComplete {
		t.Fatalf("after freeing space: %s (%s)", tr.Status, deref(tr.ErrorMessage))
	}
	p.checkLanded(map[string][]byte{"big.bin": big})
	t.Logf("sent %d bytes after resuming a %d-byte file", tr.BytesSent, tr.TotalBytes)
}

func mentionsENOSPC(s string) bool {
	return strings.Contains(s, "disk_full") || strings.Contains(s, "no space left")
}
