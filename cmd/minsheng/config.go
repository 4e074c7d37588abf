package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
)

// Config is everything the commands need, gathered from flags whose
// defaults come from the environment.
type Config struct {
	DataDir      string
	Region       string
	EmbedBaseURL string
	EmbedModel   string
	EmbedAPIKey  string // from the environment only: flags show up in ps
	EmbedTimeout time.Duration
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func defaultDataDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "minsheng")
	}
	return filepath.Join(os.TempDir(), "minsheng")
}

// bindCommon registers the flags every command shares.
func bindCommon(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.DataDir, "data-dir", envOr("MINSHENG_DATA_DIR", defaultDataDir()), "where the index and added documents live (MINSHENG_DATA_DIR)")
	fs.StringVar(&cfg.Region, "region", envOr("MINSHENG_REGION", ""), "limit answers to a region, e.g. 沈阳 or 浑南区 (MINSHENG_REGION)")
	fs.StringVar(&cfg.EmbedBaseURL, "embed-base-url", envOr("MINSHENG_EMBED_BASE_URL", ""), "OpenAI-compatible embeddings endpoint; empty uses the local embedder (MINSHENG_EMBED_BASE_URL)")
	fs.StringVar(&cfg.EmbedModel, "embed-model", envOr("MINSHENG_EMBED_MODEL", ""), "embeddings model (MINSHENG_EMBED_MODEL)")
	cfg.EmbedAPIKey = os.Getenv("MINSHENG_EMBED_API_KEY")
	cfg.EmbedTimeout = 60 * time.Second
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

func (c Config) embedder() (retrieval.Embedder, error) {
	if c.EmbedBaseURL == "" {
		return retrieval.LocalEmbedder(), nil
	}
	if c.EmbedModel == "" {
		return retrieval.Embedder{}, usageError{"MINSHENG_EMBED_BASE_URL is set but MINSHENG_EMBED_MODEL is not"}
	}
	return retrieval.RemoteEmbedder(retrieval.RemoteConfig{BaseURL: c.EmbedBaseURL, Model: c.EmbedModel,
		APIKey: c.EmbedAPIKey, Timeout: c.EmbedTimeout})
}

func (c Config) library() retrieval.Library {
	return retrieval.Library{Dir: filepath.Join(c.DataDir, "docs")}
}

// documents are the embedded seeds plus what was added with ingest.
func (c Config) documents() ([]retrieval.Document, error) {
	docs, err := retrieval.SeedDocuments()
	if err != nil {
		return nil, err
	}
	added, err := c.library().Load()
	if err != nil {
		return nil, err
	}
	return append(docs, added...), nil
}

// openIndex loads the index, building it when needed; progress lines go to
// progress (stderr for the CLI).
func (c Config) openIndex(ctx context.Context, progress io.Writer) (*retrieval.Index, error) {
	emb, err := c.embedder()
	if err != nil {
		return nil, err
	}
	docs, err := c.documents()
	if err != nil {
		return nil, err
	}
	return retrieval.Open(ctx, docs, retrieval.Options{Dir: filepath.Join(c.DataDir), Embedder: emb, Progress: progress})
}

func (c Config) answerer(ctx context.Context, progress io.Writer) (*bot.Answerer, error) {
	ix, err := c.openIndex(ctx, progress)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	return bot.NewAnswerer(ix, bot.Options{Documents: ix.Documents()}), nil
}
