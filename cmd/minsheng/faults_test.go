package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/store"
	"github.com/minsheng/minsheng/store/storetest"
)

func postFeedback(t *testing.T, base, q string) int {
	t.Helper()
	resp, err := http.Post(base+"/v1/feedback", "application/json",
		strings.NewReader(`{"question":"`+q+`","answer":"a","helpful":false,"conversation":"c-`+q+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func storedFeedback(t *testing.T, dbURL string) int {
	db, err := store.Open(context.Background(), dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	if err := db.Journal("feedback").Scan(func([]byte) { n++ }); err != nil {
		t.Fatal(err)
	}
	return n
}

// PostgreSQL down at start: serve exits with a message naming it.
func TestServePostgresDownAtStart(t *testing.T) {
	var stderr strings.Builder
	t.Setenv("MINSHENG_DATABASE_URL", "postgres://postgres:hunter2@127.0.0.1:1/test?sslmode=disable&connect_timeout=2")
	code := run(context.Background(), []string{"serve", "--http-addr", "127.0.0.1:0", "--data-dir", t.TempDir()},
		strings.NewReader(""), io.Discard, &stderr)
	msg := stderr.String()
	if code == 0 || !strings.Contains(msg, "MINSHENG_DATABASE_URL") || !strings.Contains(msg, "127.0.0.1:1") || strings.Contains(msg, "hunter2") {
		t.Errorf("exit %d, message %q: want a failure naming the variable and the host, never the password", code, msg)
	}
}

// Redis down: answers go on and /readyz says degraded, with 200, so that a
// Redis outage does not take every replica out of the load balancer.
func TestServeRedisDown(t *testing.T) {
	base, _, _ := runServeCmd(t, map[string]string{"MINSHENG_REDIS_URL": "redis://127.0.0.1:1/0", "MINSHENG_DATA_DIR": warmDir(t)})
	code, body := get(t, base+"/readyz")
	if code != http.StatusOK || !strings.Contains(body, `"status":"degraded"`) || !strings.Contains(body, `"redis":"down`) {
		t.Errorf("/readyz = %d %s", code, body)
	}
	if a := ask(t, base, "浑南低保一个月多少钱", "c1"); !strings.Contains(a, "850") {
		t.Errorf("no answer with Redis down: %s", a)
	}
}

// PostgreSQL down while serving: answers go on, votes are acknowledged
// only once spooled to disk, and reach PostgreSQL when it is back; a full
// spool answers 503.
func TestServePostgresDownWhileServing(t *testing.T) {
	dbURL := storetest.URL(t)
	px, proxied := storetest.NewProxy(t, dbURL)
	base, _, _ := runServeCmd(t, map[string]string{"MINSHENG_DATABASE_URL": proxied, "MINSHENG_DATA_DIR": warmDir(t),
		"MINSHENG_SPOOL_MAX_BYTES": "2048"})
	if c := postFeedback(t, base, "before"); c != http.StatusNoContent {
		t.Fatalf("vote with PostgreSQL up: %d", c)
	}
	px.Stop()
	if c := postFeedback(t, base, "during"); c != http.StatusNoContent {
		t.Fatalf("vote with PostgreSQL down: %d, want 204 (spooled)", c)
	}
	if a := ask(t, base, "浑南低保一个月多少钱", ""); !strings.Contains(a, "850") {
		t.Errorf("no answer with PostgreSQL down: %s", a)
	}
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, `"postgres":"down`) {
		t.Errorf("/readyz with PostgreSQL down = %d %s", code, body)
	}
	// The spool holds 2 KiB: votes past it are refused, not lost.
	refused := 0
	for i := 0; i < 40 && refused == 0; i++ {
		if c := postFeedback(t, base, "flood"+strings.Repeat("x", 100)); c == http.StatusServiceUnavailable {
			refused++
		} else if c != http.StatusNoContent && c != http.StatusTooManyRequests {
			t.Fatalf("vote with a filling spool: %d", c)
		}
	}
	if refused == 0 {
		t.Error("a full spool never answered 503")
	}
	px.Start()
	deadline := time.Now().Add(20 * time.Second)
	for storedFeedback(t, dbURL) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the spooled vote never reached PostgreSQL (stored %d)", storedFeedback(t, dbURL))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// A document ingested by the CLI against the database reaches a running
// replica, which swaps its index without a restart.
func TestCLIIngestReachesReplica(t *testing.T) {
	dbURL := storetest.URL(t)
	base, _, _ := runServeCmd(t, map[string]string{"MINSHENG_DATABASE_URL": dbURL, "MINSHENG_DATA_DIR": warmDir(t)})
	const q = "青石街道老年助餐每餐补贴多少钱?"
	if a := ask(t, base, q, ""); strings.Contains(a, "8元") {
		t.Fatalf("answered before the document was added: %s", a)
	}
	doc := filepath.Join(t.TempDir(), "qingshi.txt")
	os.WriteFile(doc, []byte("沈阳市浑南区青石街道老年助餐补贴办法\n发文机关:沈阳市浑南区民政局\n发布日期:2026-11-20\n一、补贴标准\n青石街道户籍60岁以上老年人在社区食堂就餐,每人每餐补贴8元。\n"), 0o644)
	code, out, errOut := runCLI(t, "", "ingest", "--accept", "--data-dir", warmDir(t), doc)
	if code != exitOK || !strings.Contains(out, "shared: library version") {
		t.Fatalf("ingest: %d\n%s\n%s", code, out, errOut)
	}
	deadline := time.Now().Add(30 * time.Second) // a rebuild under -race
	for !strings.Contains(ask(t, base, q, ""), "8元") {
		if time.Now().After(deadline) {
			t.Fatal("the replica never answered from the document the CLI added")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Another operator's data folder lists it too.
	if code, out, _ := runCLI(t, "", "documents", "list", "--data-dir", t.TempDir()); code != exitOK || !strings.Contains(out, "qingshi.txt") {
		t.Errorf("documents list from another data folder: %d\n%s", code, out)
	}
}

// Curated answers imported by the CLI against the database reach a
// running replica, and `faq list` from another data folder sees them.
func TestCLIFAQImportReachesReplica(t *testing.T) {
	dbURL := storetest.URL(t)
	base, _, _ := runServeCmd(t, map[string]string{"MINSHENG_DATABASE_URL": dbURL, "MINSHENG_DATA_DIR": warmDir(t)})
	const q = "浑南这边吃低保的一个月能拿多少钱啊"
	sheet := writeFile(t, "faq.csv", faqHeader+goodFAQRow)
	code, out, errOut := runCLI(t, "", "faq", "import", "--data-dir", warmDir(t), sheet)
	if code != exitOK || !strings.Contains(out, "shared: curated answers version") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(ask(t, base, q, ""), "社区整理的答复") {
		if time.Now().After(deadline) {
			t.Fatal("the replica never gave the curated answer the CLI imported")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, out, _ := runCLI(t, "", "faq", "list", "--data-dir", t.TempDir()); code != exitOK || !strings.Contains(out, "浑南区低保标准是多少?") {
		t.Errorf("faq list from another data folder: %d\n%s", code, out)
	}
}
