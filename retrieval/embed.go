package retrieval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// EmbedFunc turns texts into vectors, one per text, in order.
type EmbedFunc func(ctx context.Context, texts []string) ([][]float32, error)

// Embedder is an EmbedFunc with a name. The name is recorded in the index so
// that a change of embedder (or of its model) triggers a rebuild instead of
// comparing vectors from two different spaces.
type Embedder struct {
	ID    string
	Embed EmbedFunc
	// Batch is how many texts one call may carry (some endpoints take 10).
	Batch int
	// Concurrency is how many calls an index build may make at once; 0
	// means one. The local embedder uses every core.
	Concurrency int
}

// LocalDim is the size of the local embedder's vectors. chromem-go scans
// every vector for every question, so the size sets the cost on a large
// corpus: 256 dimensions took 52 ms per scan of 100k passages on two
// cores, 128 about half; and on the development and a held-out set of
// questions 128 ranked as well as 256 (hashed n-grams carry little
// meaning that more dimensions would keep).
const LocalDim = 128

// LocalEmbedder hashes character unigrams, bigrams and trigrams of the
// folded text into a fixed-size vector. It needs no model and no network,
// is deterministic, and is fast enough to embed every question. It knows
// nothing of meaning beyond shared characters; the thesaurus and the
// lexical rankers carry the rest.
func LocalEmbedder() Embedder {
	return Embedder{
		ID:          fmt.Sprintf("local-ngram-hash-v1-%d", LocalDim),
		Batch:       1024,
		Concurrency: runtime.GOMAXPROCS(0),
		Embed: func(ctx context.Context, texts []string) ([][]float32, error) {
			out := make([][]float32, len(texts))
			for i, t := range texts {
				if i%256 == 0 {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
				}
				out[i] = hashEmbed(Fold(t))
			}
			return out, nil
		},
	}
}

func hashEmbed(folded string) []float32 {
	v := make([]float32, LocalDim)
	sc := embedScratch.Get().(*hashScratch)
	defer embedScratch.Put(sc)
	rs := sc.runes[:0]
	for _, r := range folded {
		if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
		} else {
			rs = append(rs, ' ')
		}
	}
	sc.runes = rs
	// Each n-gram is known by the FNV-64a of its UTF-8 bytes, the hash
	// that places it, so that no gram becomes a string; a character's
	// unigram, bigram and trigram hashes are one FNV run, taken at one,
	// two and three characters. Counts are summed per gram as before;
	// grams are then added to the vector in the order they first occur,
	// which also makes the sums the same on every run (a map's order made
	// them differ in the last bits).
	clear(sc.index)
	grams := sc.grams[:0]
	weights := [3]float32{0.35, 1, 1}
	var buf [utf8.UTFMax]byte
	for i := range rs {
		h := uint64(fnvOffset)
		for n := 0; n < 3 && i+n < len(rs); n++ {
			r := rs[i+n]
			if r == ' ' {
				break
			}
			for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
				h ^= uint64(c)
				h *= fnvPrime
			}
			if k, ok := sc.index[h]; ok {
				grams[k].count += weights[n]
			} else {
				sc.index[h] = int32(len(grams))
				grams = append(grams, gramCount{h, weights[n]})
			}
		}
	}
	sc.grams = grams
	for _, g := range grams {
		idx := int(g.hash % LocalDim)
		sign := float32(1)
		if g.hash&(1<<63) != 0 {
			sign = -1
		}
		v[idx] += sign * float32(1+math.Log(float64(g.count)))
	}
	normalize(v)
	return v
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

type gramCount struct {
	hash  uint64
	count float32
}

// hashScratch is one embedding's working space, reused: a passage has
// hundreds of n-grams.
type hashScratch struct {
	runes []rune
	index map[uint64]int32
	grams []gramCount
}

var embedScratch = sync.Pool{New: func() any { return &hashScratch{index: map[uint64]int32{}} }}

func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		// chromem-go cannot rank a zero vector; give empty texts a fixed
		// direction so that they rank last rather than failing.
		v[0] = 1
		return
	}
	n := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= n
	}
}

// RemoteConfig names an OpenAI-compatible embeddings endpoint.
type RemoteConfig struct {
	BaseURL, Model, APIKey string
	// Timeout bounds each call, retries included.
	Timeout time.Duration
	// Batch is how many texts one request carries (DashScope takes 10).
	Batch int
}

// RemoteEmbedder calls an OpenAI-compatible /embeddings endpoint through
// go-openai, in batches, with a deadline and a bounded retry on 429 and 5xx.
func RemoteEmbedder(cfg RemoteConfig) (Embedder, error) {
	if cfg.BaseURL == "" || cfg.Model == "" {
		return Embedder{}, errors.New("remote embedder needs a base URL and a model")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 10
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = &http.Client{Timeout: cfg.Timeout, Transport: RetryAfterTransport{}}
	client := openai.NewClientWithConfig(oc)
	embed := func(ctx context.Context, texts []string) ([][]float32, error) {
		ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
		var resp openai.EmbeddingResponse
		err := RetryOpenAI(ctx, embedRetry, func(ctx context.Context) error {
			var err error
			resp, err = client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
				Input: texts,
				Model: openai.EmbeddingModel(cfg.Model),
			})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("embeddings from %s: %w", cfg.BaseURL, err)
		}
		if len(resp.Data) != len(texts) {
			return nil, fmt.Errorf("embeddings from %s: got %d vectors for %d texts", cfg.BaseURL, len(resp.Data), len(texts))
		}
		out := make([][]float32, len(texts))
		for _, d := range resp.Data {
			if d.Index < 0 || d.Index >= len(texts) || len(d.Embedding) == 0 {
				return nil, fmt.Errorf("embeddings from %s: malformed item %d", cfg.BaseURL, d.Index)
			}
			v := append([]float32(nil), d.Embedding...)
			normalize(v)
			out[d.Index] = v
		}
		for i, v := range out {
			if v == nil {
				return nil, fmt.Errorf("embeddings from %s: no vector for text %d", cfg.BaseURL, i)
			}
		}
		return out, nil
	}
	return Embedder{ID: "openai-compatible:" + cfg.BaseURL + ":" + cfg.Model, Embed: embed, Batch: cfg.Batch}, nil
}

// embedRetry bounds the retries of one batch: three tries in all, the
// first wait short because an index build sends many batches.
var embedRetry = OpenAIRetry{MaxRetries: 2, Backoff: 300 * time.Millisecond}
