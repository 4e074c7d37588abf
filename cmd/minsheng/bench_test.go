package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
