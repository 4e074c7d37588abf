package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/store/storetest"
)

func scanAll(t *testing.T, j *Journal) []string {
	t.Helper()
	var out []string
	if err := j.Scan(func(line []byte) { out = append(out, string(line)) }); err != nil {
		t.Fatalf("Scan %s: %v", j.kind, err)
	}
	return out
}

func appendAll(t *testing.T, j *Journal, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if err := j.Append([]byte(l)); err != nil {
			t.Fatalf("Append %q to %s: %v", l, j.kind, err)
		}
	}
}

func TestJournalAppendScanPrune(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	tests := []struct {
		kind      string
		lines     []string
		keep      func(string) bool
		wantAfter []string
	}{
		{
			kind:      "feedback",
			lines:     []string{`{"n":1}`, `{"n":2}`, `{"n":3}`, `{"n":4}`},
			keep:      func(l string) bool { return l != `{"n":2}` },
			wantAfter: []string{`{"n":1}`, `{"n":3}`, `{"n":4}`},
		},
		{
			kind:      "queue",
			lines:     []string{`{"q":"\u517b\u8001"}`, "not json, kept verbatim\n", ""},
			keep:      func(string) bool { return true },
			wantAfter: []string{`{"q":"\u517b\u8001"}`, "not json, kept verbatim\n", ""},
		},
		{
			kind:      "audit",
			lines:     []string{"a", "b"},
			keep:      func(string) bool { return false },
			wantAfter: nil,
		},
	}
	// All kinds are written first, interleaved, so that each must see
	// only its own lines.
	for i := range 4 {
		for _, tc := range tests {
			if i < len(tc.lines) {
				appendAll(t, db.Journal(tc.kind), tc.lines[i])
			}
		}
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			j := db.Journal(tc.kind)
			if got := scanAll(t, j); !slices.Equal(got, tc.lines) {
				t.Errorf("Scan = %q, want %q", got, tc.lines)
			}
			kept, dropped, err := j.Prune(func(l []byte) bool { return tc.keep(string(l)) })
			if err != nil {
				t.Fatal(err)
			}
			if kept != len(tc.wantAfter) || dropped != len(tc.lines)-len(tc.wantAfter) {
				t.Errorf("Prune = kept %d, dropped %d; want %d, %d", kept, dropped, len(tc.wantAfter), len(tc.lines)-len(tc.wantAfter))
			}
			if got := scanAll(t, j); !slices.Equal(got, tc.wantAfter) {
				t.Errorf("Scan after Prune = %q, want %q", got, tc.wantAfter)
			}
		})
	}
}

func TestJournalBadKind(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	for _, kind := range []string{"", "Feedback", "has space", strings.Repeat("x", 65)} {
		j := db.Journal(kind)
		if err := j.Append([]byte("x")); err == nil {
			t.Errorf("Append to kind %q succeeded", kind)
		}
		if err := j.Scan(func([]byte) {}); err == nil {
			t.Errorf("Scan of kind %q succeeded", kind)
		}
	}
}

// spoolFiles returns the spool's segment names.
func spoolFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.spool"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSpoolWhilePostgresAway(t *testing.T) {
	t.Parallel()
	p, u := newProxy(t, storetest.URL(t))
	spoolDir := t.TempDir()
	db := openDB(t, u, Options{SpoolDir: spoolDir})
	ctx := context.Background()
	j := db.Journal("feedback")

	appendAll(t, j, "a")
	if n := db.SpoolLen(); n != 0 {
		t.Fatalf("SpoolLen with PostgreSQL up = %d, want 0", n)
	}
	p.Stop()
	appendAll(t, j, "b", "c")
	if n := db.SpoolLen(); n != 2 {
		t.Fatalf("SpoolLen after 2 appends with PostgreSQL away = %d, want 2", n)
	}
	if _, err := db.FlushSpool(ctx); err == nil {
		t.Error("FlushSpool with PostgreSQL away succeeded")
	}
	if n := db.SpoolLen(); n != 2 {
		t.Fatalf("SpoolLen after a failed flush = %d, want 2", n)
	}
	p.Start()
	// PostgreSQL is back but b and c wait: d must come after them.
	appendAll(t, j, "d")
	if n := db.SpoolLen(); n != 3 {
		t.Fatalf("SpoolLen = %d, want 3 (d joins the spool to keep order)", n)
	}
	for i, want := range []int{3, 0} {
		n, err := db.FlushSpool(ctx)
		if err != nil || n != want {
			t.Fatalf("FlushSpool #%d = %d, %v; want %d", i+1, n, err, want)
		}
	}
	if n := db.SpoolLen(); n != 0 {
		t.Errorf("SpoolLen after flush = %d", n)
	}
	if f := spoolFiles(t, spoolDir); len(f) != 0 {
		t.Errorf("spool files left after flush: %v", f)
	}
	if got, want := scanAll(t, j), []string{"a", "b", "c", "d"}; !slices.Equal(got, want) {
		t.Errorf("Scan = %q, want %q", got, want)
	}
	appendAll(t, j, "e") // straight to PostgreSQL again
	if n := db.SpoolLen(); n != 0 {
		t.Errorf("SpoolLen after flush and append = %d, want 0", n)
	}
}

func TestFlushRepeatedAfterCrash(t *testing.T) {
	t.Parallel()
	p, u := newProxy(t, storetest.URL(t))
	spoolDir := t.TempDir()
	db := openDB(t, u, Options{SpoolDir: spoolDir})
	p.Stop()
	appendAll(t, db.Journal("queue"), "x", "y")
	// Keep the segments as a crash between the commit and the deletion
	// would leave them.
	saved := map[string][]byte{}
	for _, f := range spoolFiles(t, spoolDir) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		saved[f] = b
	}
	p.Start()
	if n, err := db.FlushSpool(context.Background()); err != nil || n != 2 {
		t.Fatalf("FlushSpool = %d, %v", n, err)
	}
	db.Close()
	for f, b := range saved {
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db2 := openDB(t, u, Options{SpoolDir: spoolDir})
	if n := db2.SpoolLen(); n != 2 {
		t.Fatalf("SpoolLen after restart = %d, want 2", n)
	}
	if n, err := db2.FlushSpool(context.Background()); err != nil || n != 2 {
		t.Fatalf("second FlushSpool = %d, %v", n, err)
	}
	if got, want := scanAll(t, db2.Journal("queue")), []string{"x", "y"}; !slices.Equal(got, want) {
		t.Errorf("Scan = %q, want %q (no duplicates)", got, want)
	}
}

func TestSpoolFull(t *testing.T) {
	t.Parallel()
	p, u := newProxy(t, storetest.URL(t))
	db := openDB(t, u, Options{SpoolDir: t.TempDir(), SpoolMaxBytes: 1000})
	j := db.Journal("feedback")
	p.Stop()
	var acked []string
	full := 0
	for i := range 40 {
		line := fmt.Sprintf(`{"i":%d}`, i)
		switch err := j.Append([]byte(line)); {
		case err == nil:
			if full > 0 {
				t.Fatalf("line %d acknowledged after the spool was full", i)
			}
			acked = append(acked, line)
		case errors.Is(err, ErrSpoolFull):
			full++
		default:
			t.Fatalf("Append %d: %v", i, err)
		}
	}
	if len(acked) == 0 || full == 0 {
		t.Fatalf("acknowledged %d, refused %d: the bound was not reached or nothing fit", len(acked), full)
	}
	p.Start()
	if n, err := db.FlushSpool(context.Background()); err != nil || n != len(acked) {
		t.Fatalf("FlushSpool = %d, %v; want %d", n, err, len(acked))
	}
	if got := scanAll(t, j); !slices.Equal(got, acked) {
		t.Errorf("stored %q, want exactly the acknowledged %q", got, acked)
	}
	appendAll(t, j, "after") // room again
}

func TestAppendWithoutSpoolFails(t *testing.T) {
	t.Parallel()
	p, u := newProxy(t, storetest.URL(t))
	db := openDB(t, u, Options{})
	p.Stop()
	err := db.Journal("audit").Append([]byte("x"))
	if err == nil || errors.Is(err, ErrSpoolFull) {
		t.Errorf("Append without spool, PostgreSQL away = %v; want a connection error", err)
	}
}

func spoolLine(t *testing.T, id, kind, line string) []byte {
	t.Helper()
	b, err := json.Marshal(spoolRecord{ID: id, Kind: kind, At: time.Now(), Line: []byte(line)})
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestSpoolLeftByACrash(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	tests := []struct {
		name      string
		content   func(one, two, torn []byte) []byte
		wantLen   int
		wantSize  func(one, two []byte) int // bytes left in the file after Open; -1 when removed
		wantLines []string
	}{
		{
			"torn last line",
			func(one, two, torn []byte) []byte { return slices.Concat(one, two, torn) },
			2, func(one, two []byte) int { return len(one) + len(two) },
			[]string{"one", "two", "new"},
		},
		{
			"damaged middle line",
			func(one, two, _ []byte) []byte { return slices.Concat(one, []byte("{garbage\n"), two) },
			2, func(one, two []byte) int { return len(one) + len("{garbage\n") + len(two) },
			[]string{"one", "two", "new"},
		},
		{
			"only a torn line",
			func(_, _, torn []byte) []byte { return torn },
			0, func(_, _ []byte) int { return -1 }, // cut to nothing, then removed
			[]string{"new"},
		},
		{
			"empty",
			func(_, _, _ []byte) []byte { return nil },
			0, func(_, _ []byte) int { return -1 },
			[]string{"new"},
		},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Each case has its own journal and ids in the shared database.
			kind := fmt.Sprintf("case%d", i)
			one := spoolLine(t, kind+"-1", kind, "one")
			two := spoolLine(t, kind+"-2", kind, "two")
			torn := spoolLine(t, kind+"-3", kind, "three")
			torn = torn[:len(torn)/2]
			dir := t.TempDir()
			seg := filepath.Join(dir, fmt.Sprintf("%020d.spool", 7))
			if err := os.WriteFile(seg, tc.content(one, two, torn), 0o600); err != nil {
				t.Fatal(err)
			}
			db := openDB(t, u, Options{SpoolDir: dir})
			if n := db.SpoolLen(); n != tc.wantLen {
				t.Errorf("SpoolLen = %d, want %d", n, tc.wantLen)
			}
			wantSize := tc.wantSize(one, two)
			fi, err := os.Stat(seg)
			switch {
			case wantSize < 0 && err == nil:
				t.Errorf("empty segment kept")
			case wantSize >= 0 && err != nil:
				t.Errorf("segment: %v", err)
			case wantSize >= 0 && fi.Size() != int64(wantSize):
				t.Errorf("segment holds %d bytes after Open, want %d", fi.Size(), wantSize)
			}
			// A line appended now must not be glued to the cut tail.
			appendAll(t, db.Journal(kind), "new")
			if _, err := db.FlushSpool(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := scanAll(t, db.Journal(kind)); !slices.Equal(got, tc.wantLines) {
				t.Errorf("stored %q, want %q", got, tc.wantLines)
			}
		})
	}
}

func TestRunSpoolDrainsWhenPostgresReturns(t *testing.T) {
	t.Parallel()
	p, u := newProxy(t, storetest.URL(t))
	db := openDB(t, u, Options{SpoolDir: t.TempDir()})
	p.Stop()
	appendAll(t, db.Journal("feedback"), "while away")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { db.RunSpool(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	time.Sleep(spoolInterval + 500*time.Millisecond) // at least one failed try
	if n := db.SpoolLen(); n != 1 {
		t.Fatalf("SpoolLen with PostgreSQL away = %d, want 1", n)
	}
	p.Start()
	deadline := time.Now().Add(3 * spoolInterval)
	for db.SpoolLen() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("RunSpool did not drain the spool after PostgreSQL returned")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := scanAll(t, db.Journal("feedback")); !slices.Equal(got, []string{"while away"}) {
		t.Errorf("stored %q", got)
	}
}
