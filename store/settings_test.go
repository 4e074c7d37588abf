package store

import (
	"context"
	"crypto/rand"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/minsheng/minsheng/store/storetest"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	ctx := context.Background()
	if v, ok, err := db.Setting(ctx, "llm"); err != nil || ok || v != "" {
		t.Fatalf("Setting of a missing key = %q, %v, %v", v, ok, err)
	}
	for _, v := range []string{"on", "off", "\u5173"} {
		if err := db.SetSetting(ctx, "llm", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := db.Setting(ctx, "llm"); err != nil || !ok || got != v {
			t.Errorf("Setting after SetSetting(%q) = %q, %v, %v", v, got, ok, err)
		}
	}
}

func TestSettingOrCreateRace(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	dbs := []*DB{openDB(t, u, Options{}), openDB(t, u, Options{})}
	const perDB = 8
	tests := []struct{ key string }{{"feedback_salt"}, {"other_salt"}}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			var made atomic.Int32
			got := make([]string, len(dbs)*perDB)
			errs := make([]error, len(got))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range got {
				wg.Go(func() {
					<-start
					got[i], errs[i] = dbs[i%len(dbs)].SettingOrCreate(context.Background(), tc.key, func() string {
						made.Add(1)
						return rand.Text()
					})
				})
			}
			close(start)
			wg.Wait()
			for i := range got {
				if errs[i] != nil {
					t.Fatalf("SettingOrCreate %d: %v", i, errs[i])
				}
				if got[i] == "" || got[i] != got[0] {
					t.Fatalf("callers got different values: %q", got)
				}
			}
			if made.Load() == 0 {
				t.Error("newValue never called")
			}
			stored, ok, err := dbs[0].Setting(context.Background(), tc.key)
			if err != nil || !ok || stored != got[0] {
				t.Errorf("stored %q, %v, %v; callers got %q", stored, ok, err, got[0])
			}
			// Once stored, newValue is not called again.
			before := made.Load()
			if v, err := dbs[1].SettingOrCreate(context.Background(), tc.key, func() string { made.Add(1); return "x" }); err != nil || v != got[0] || made.Load() != before {
				t.Errorf("SettingOrCreate on an existing key = %q, %v (newValue called: %v)", v, err, made.Load() != before)
			}
		})
	}
}

func TestAddCounterConcurrent(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t)
	dbs := []*DB{openDB(t, u, Options{}), openDB(t, u, Options{})}
	ctx := context.Background()
	if v, err := dbs[0].Counter(ctx, "tokens:2026-12-03"); err != nil || v != 0 {
		t.Fatalf("Counter of a missing key = %d, %v", v, err)
	}
	const workers, adds = 8, 25
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range adds {
				total, err := dbs[w%len(dbs)].AddCounter(ctx, "tokens:2026-12-03", 1)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[total] {
					t.Errorf("total %d returned twice: adds were not atomic", total)
				}
				seen[total] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if v, err := dbs[1].Counter(ctx, "tokens:2026-12-03"); err != nil || v != workers*adds {
		t.Errorf("Counter = %d, %v; want %d", v, err, workers*adds)
	}
	if v, err := dbs[0].AddCounter(ctx, "tokens:2026-12-03", -5); err != nil || v != workers*adds-5 {
		t.Errorf("AddCounter(-5) = %d, %v", v, err)
	}
}

func TestCountersByPrefix(t *testing.T) {
	t.Parallel()
	db := openDB(t, storetest.URL(t), Options{})
	ctx := context.Background()
	for key, n := range map[string]int64{"curated_hit:a": 2, "curated_hit:b": 1, "curated_hitx": 5, "llm_tokens:2026-12-03": 9} {
		if _, err := db.AddCounter(ctx, key, n); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Counters(ctx, "curated_hit:")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"a": 2, "b": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Counters = %v, want %v", got, want)
	}
}
