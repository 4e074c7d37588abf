package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minsheng/minsheng/store/storetest"
)

// BenchmarkFirstAsk measures what a fresh clone's first `minsheng ask`
// costs once compiled: a new process, an empty data directory, the index
// built from scratch, the answer printed.
func BenchmarkFirstAsk(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "minsheng")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		cmd := exec.Command(bin, "ask", "浑南区低保标准到2025年能到每月多少钱?")
		cmd.Env = append(os.Environ(), "MINSHENG_DATA_DIR="+dir)
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), "850") {
			b.Fatalf("ask: %v\n%s", err, out)
		}
	}
}

// BenchmarkWarmAsk is a later `minsheng ask`: a new process that loads the
// saved index.
func BenchmarkWarmAsk(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "minsheng")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	dir := b.TempDir()
	env := append(os.Environ(), "MINSHENG_DATA_DIR="+dir)
	warm := exec.Command(bin, "ingest")
	warm.Env = env
	if out, err := warm.CombinedOutput(); err != nil {
		b.Fatalf("ingest: %v\n%s", err, out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "ask", "浑南区低保标准到2025年能到每月多少钱?")
		cmd.Env = env
		if out, err := cmd.Output(); err != nil || !strings.Contains(string(out), "850") {
			b.Fatalf("ask: %v\n%s", err, out)
		}
	}
}

// BenchmarkReplicaReady is a new replica joining: a `minsheng serve`
// process with an empty data folder, timed until /readyz answers 200.
// "from-snapshot" shares a PostgreSQL that already holds the index
// snapshot (a replica started before stored it), so it loads; the
// baseline, "building", has no database and builds the index itself.
func BenchmarkReplicaReady(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "minsheng")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	dbURL := storetest.URL(b)
	ready := func(b *testing.B, env ...string) time.Duration {
		addr := freeAddr(b)
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), append(env, "MINSHENG_DATA_DIR="+b.TempDir(), "MINSHENG_HTTP_ADDR="+addr,
			"MINSHENG_LLM_BASE_URL=", "OPENAI_BASE_URL=")...)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
		for time.Since(start) < time.Minute {
			if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return time.Since(start)
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		b.Fatal("replica never became ready")
		return 0
	}
	ready(b, "MINSHENG_DATABASE_URL="+dbURL) // the first replica builds and stores the snapshot
	for _, bc := range []struct {
		name string
		env  []string
	}{{"from-snapshot", []string{"MINSHENG_DATABASE_URL=" + dbURL}}, {"building", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				total += ready(b, bc.env...)
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/ready")
		})
	}
}
