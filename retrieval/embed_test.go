package retrieval

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
)

// fakeEmbeddings answers /embeddings like an OpenAI-compatible server; the
// first `fail` calls get status `code`.
func fakeEmbeddings(t *testing.T, fail int32, code int, dims int) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Path != "/v1/embeddings" {
			http.NotFound(w, r)
			return
		}
		if n <= fail {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			w.Write([]byte(`{"error":{"message":"busy","type":"server_error"}}`))
			return
		}
		var req struct {
			Input []string `json:"input"`
			Model string   `json:"model"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("bad request body: %v", err)
		}
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		var data []item
		for i, in := range req.Input {
			v := make([]float32, dims)
			for j, r := range in {
				v[(j+int(r))%dims] += 1
			}
			data = append(data, item{Object: "embedding", Index: i, Embedding: v})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestRemoteEmbedder(t *testing.T) {
	tests := []struct {
		name    string
		fail    int32
		code    int
		wantErr bool
		calls   int32
	}{
		{"ok", 0, 0, false, 1},
		{"retries 500", 2, 500, false, 3},
		{"retries 429", 1, 429, false, 2},
		{"gives up", 5, 503, true, 3},
		{"no retry on 400", 1, 400, true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := fakeEmbeddings(t, tc.fail, tc.code, 8)
			emb, err := RemoteEmbedder(RemoteConfig{BaseURL: srv.URL + "/v1", Model: "m", Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			vs, err := emb.Embed(context.Background(), []string{"低保", "助餐服务"})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if !tc.wantErr && (len(vs) != 2 || len(vs[0]) != 8) {
				t.Errorf("got %d vectors", len(vs))
			}
			if calls.Load() != tc.calls {
				t.Errorf("%d calls, want %d", calls.Load(), tc.calls)
			}
		})
	}
}

// An index built with a remote embedder records it and searches with it.
func TestBuildWithRemoteEmbedder(t *testing.T) {
	srv, _ := fakeEmbeddings(t, 0, 0, 16)
	emb, err := RemoteEmbedder(RemoteConfig{BaseURL: srv.URL + "/v1", Model: "m", Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(context.Background(), smallDocs(), Options{Dir: t.TempDir(), Embedder: emb})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(context.Background(), PlainQuery("低保标准")); err != nil {
		t.Fatal(err)
	}
}

// When the embeddings endpoint fails at question time, search goes on
// with the lexical lists and says so.
func TestSearchSurvivesEmbeddingOutage(t *testing.T) {
	srv, calls := fakeEmbeddings(t, 0, 0, 16)
	emb, err := RemoteEmbedder(RemoteConfig{BaseURL: srv.URL + "/v1", Model: "m", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), smallDocs(), Options{Embedder: emb})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close() // the endpoint goes away
	_ = calls
	res, err := ix.Search(context.Background(), PlainQuery("老年食堂有几个"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Degraded == "" || len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Text, "食堂") {
		t.Errorf("degraded %q, hits %d", res.Degraded, len(res.Hits))
	}
}

// TestHashEmbedAsStrings checks the local embedder against the plain form
// it replaces (n-grams as strings in a map, added in the map's order): the
// same vector but for the order of float sums, and the same on every run.
func TestHashEmbedAsStrings(t *testing.T) {
	docs, err := SeedDocuments()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "低", "abc 低保 2025", "\u00e9\u0301"}
	for _, d := range docs {
		for _, p := range d.Passages(DefaultSplit) {
			texts = append(texts, p.indexText())
		}
	}
	for _, text := range texts {
		got, want := hashEmbed(text), stringHashEmbed(text)
		for i := range want {
			if math.Abs(float64(got[i]-want[i])) > 1e-6 {
				t.Fatalf("%q: component %d is %v, want %v", text, i, got[i], want[i])
			}
		}
		again := hashEmbed(text)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(again[i]) {
				t.Fatalf("%q: component %d differs between runs", text, i)
			}
		}
	}
}

func stringHashEmbed(folded string) []float32 {
	v := make([]float32, LocalDim)
	var rs []rune
	for _, r := range folded {
		if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
		} else {
			rs = append(rs, ' ')
		}
	}
	counts := map[string]float32{}
	for n, w := range []float32{0.35, 1, 1} {
		size := n + 1
		for i := 0; i+size <= len(rs); i++ {
			g := rs[i : i+size]
			if !slices.Contains(g, ' ') {
				counts[string(g)] += w
			}
		}
	}
	for g, c := range counts {
		h := fnv.New64a()
		h.Write([]byte(g))
		x := h.Sum64()
		sign := float32(1)
		if x&(1<<63) != 0 {
			sign = -1
		}
		v[x%LocalDim] += sign * float32(1+math.Log(float64(c)))
	}
	normalize(v)
	return v
}
