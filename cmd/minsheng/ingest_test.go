package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const canteenNotice = `<html><body><h1>关于浑南区老年助餐补贴的通知</h1>
<p>一、补贴标准</p><p>1.对80周岁以上老人每餐补贴3元,由社区食堂直接减免。</p></body></html>`

// A re-ingest whose write fails halfway (here: the process may write files
// of at most a few dozen kilobytes, so the kernel cuts the new copy short,
// as a full disk does) leaves the previous copy, its facts and the saved
// index as they were, says what failed, and answers go on as before.
func TestIngestFailedWriteKeepsPreviousCopy(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell for ulimit")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	doc := filepath.Join(t.TempDir(), "canteen.html")
	os.WriteFile(doc, []byte(canteenNotice), 0o644)
	if code, _, errOut := runCLI(t, "", "ingest", "--data-dir", dir, "--date", "2024-06-01", doc); code != exitOK {
		t.Fatalf("first ingest: exit %d: %s", code, errOut)
	}
	before := snapshot(t, dir)

	// The new version is far bigger than the limit below (64 blocks of 512
	// or 1024 bytes, depending on the shell).
	var big strings.Builder
	big.WriteString("<html><body><h1>关于浑南区老年助餐补贴的通知</h1><p>一、补贴标准</p>")
	for i := 0; big.Len() < 400<<10; i++ {
		fmt.Fprintf(&big, "<p>%d.对80周岁以上老人每餐补贴5元,由社区食堂直接减免。</p>", i+1)
	}
	big.WriteString("</body></html>")
	os.WriteFile(doc, []byte(big.String()), 0o644)

	cmd := exec.Command(sh, "-c", `ulimit -f 64 && exec "$0" "$@"`, os.Args[0],
		"ingest", "--replace", "--data-dir", dir, "--date", "2024-07-01", doc)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if code != exitFailure {
		t.Fatalf("ingest under a file-size limit: exit %d (%v), want %d\nstdout %s\nstderr %s", code, err, exitFailure, stdout.String(), stderr.String())
	}
	if msg := stderr.String(); !strings.Contains(msg, "canteen.html") || !strings.Contains(msg, "previous copy of canteen.html and its facts are kept") {
		t.Errorf("error does not say which document failed and that nothing changed: %q", msg)
	}
	after := snapshot(t, dir)
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s changed by the failed ingest", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("failed ingest left %s behind", name)
		}
	}
	code, out, errOut := runCLI(t, "", "ask", "--data-dir", dir, "--json", "浑南80岁老人吃饭每餐补贴多少钱?")
	if code != exitOK || !strings.Contains(out, "canteen.html") || !strings.Contains(out, "3元") {
		t.Errorf("ask after the failed ingest: exit %d %s %s", code, out, errOut)
	}
}

// snapshot reads every file under dir, keyed by its path relative to dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Leftovers of an interrupted ingest or index save are removed by the next
// ingest at once, whatever their age: it rebuilds the index anyway.
func TestIngestSweepsLeftovers(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(t.TempDir(), "canteen.html")
	os.WriteFile(doc, []byte(canteenNotice), 0o644)
	if code, _, errOut := runCLI(t, "", "ingest", "--data-dir", dir, "--date", "2024-06-01", doc); code != exitOK {
		t.Fatalf("first ingest: exit %d: %s", code, errOut)
	}
	leftovers := []string{
		filepath.Join(dir, "index.tmp-123", "passages.bin"),
		filepath.Join(dir, "index.old-456", "manifest.json"),
		filepath.Join(dir, "docs", ".ingest-canteen.html-789"),
		filepath.Join(dir, "docs", ".ingest-canteen.html.meta.json-789"),
	}
	for _, p := range leftovers {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errOut := runCLI(t, "", "ingest", "--data-dir", dir); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	for _, p := range leftovers {
		if _, err := os.Stat(p); err == nil {
			rel, _ := filepath.Rel(dir, p)
			t.Errorf("%s survived the ingest", rel)
		}
	}
}
