package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/curated"
	"github.com/minsheng/minsheng/prompts"
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
	// badEnv collects environment values that could not be read, reported
	// once the flags are parsed.
	badEnv []string

	LLMBaseURL string
	LLMModel   string
	LLMAPIKey  string // from the environment only
	LLMTimeout time.Duration
	// AllowedLinks are hosts and phone numbers answers may show besides the
	// catalog's source hosts and 12345, 12356, 110, 120.
	AllowedLinks []string

	// OnLLMError hears of every failed LLM call, OnRoute of every crisis,
	// greeting or thanks route, OnStripped of invisible characters
	// stripped from a question: for metrics (serve sets them).
	OnLLMError, OnRoute, OnStripped func(string)

	// The LLM's limits (see llmctl.go): llmEnv holds what the defaults and
	// the environment say, llmFlags the values given on the command line,
	// which the env file does not override.
	llmEnv      bot.LLMLimits
	llmFlags    map[string]string
	LLMBudgetTZ string
	// EnvFile holds KEY=value lines whose LLM limits serve re-reads on
	// SIGHUP.
	EnvFile string
	// OnBudgetError hears of a token count that could not be saved (serve
	// logs it; other commands print it).
	OnBudgetError func(error)
	// OnCuratedError hears of a curated answer's use that could not be
	// counted, or a curated answers file that could not be read again
	// (serve logs it; other commands print it).
	OnCuratedError func(error)
	// noCurated leaves the curated answers out: eval measures the
	// documents' own answers.
	noCurated bool

	// QueueRetention is how long the unanswered queue keeps an entry
	// (MINSHENG_QUEUE_RETENTION); OnUnanswered hears of every abstention
	// and "closest" answer, to queue it (serve and ask set it; eval does
	// not, so measuring fills no queue).
	QueueRetention time.Duration
	OnUnanswered   func(bot.Request, bot.Answer)
	// Turns keeps conversations (serve shares them through Redis); nil
	// keeps them in this process.
	Turns bot.TurnStore
	// CuratedDir holds the curated answers ("" is the data folder; serve
	// with PostgreSQL uses a folder of its own, mirrored there), and
	// CuratedCounter counts their use (nil: a file beside them).
	CuratedDir     string
	CuratedCounter curated.Counter
	// Snapshots, when set, shares saved indexes among replicas.
	Snapshots Snapshots
	// DatabaseURL is PostgreSQL (MINSHENG_DATABASE_URL), where several
	// replicas keep what must last; document changes made by the CLI go
	// there too.
	DatabaseURL string
	// Switch gives the operator's LLM switch and Tokens counts the day's
	// tokens, both in PostgreSQL when one is configured (llmshared.go);
	// nil keeps them in the data folder.
	Switch switchSource
	Tokens bot.TokenCounter

	// Documents added (see bindDocuments).
	MaxDocumentBytes  int64
	FetchTimeout      time.Duration
	FetchAllowPrivate bool
	PDFCacheDir       string // "" is <data dir>/cache/pdfium
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
	// A connection string may hold a password: environment only.
	cfg.DatabaseURL = os.Getenv("MINSHENG_DATABASE_URL")
	cfg.EmbedTimeout = 60 * time.Second
	fs.StringVar(&cfg.LLMBaseURL, "llm-base-url", envOr("MINSHENG_LLM_BASE_URL", os.Getenv("OPENAI_BASE_URL")), "OpenAI-compatible chat endpoint, e.g. https://api.deepseek.com/v1 (MINSHENG_LLM_BASE_URL, OPENAI_BASE_URL)")
	fs.StringVar(&cfg.LLMModel, "llm-model", envOr("MINSHENG_LLM_MODEL", ""), "chat model (MINSHENG_LLM_MODEL)")
	cfg.LLMAPIKey = envOr("MINSHENG_LLM_API_KEY", os.Getenv("OPENAI_API_KEY"))
	fs.Func("llm-timeout", "bound on the LLM's part of one answer, retries included (MINSHENG_LLM_TIMEOUT, default 30s)", func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a Go duration such as 30s")
		}
		cfg.LLMTimeout = d
		return nil
	})
	bindLLMLimits(fs, cfg)
	fs.Func("allowed-links", "comma-separated hosts and phone numbers answers may show, besides the documents' source hosts and 12345, 12356, 110, 120 (MINSHENG_ALLOWED_LINKS)", func(v string) error {
		links, err := parseAllowedLinks(v)
		cfg.AllowedLinks = links
		return err
	})
	if v := os.Getenv("MINSHENG_ALLOWED_LINKS"); v != "" {
		links, err := parseAllowedLinks(v)
		if err != nil {
			cfg.badEnv = append(cfg.badEnv, "MINSHENG_ALLOWED_LINKS: "+err.Error())
		}
		cfg.AllowedLinks = links
	}
	cfg.LLMTimeout = 30 * time.Second
	if v := os.Getenv("MINSHENG_LLM_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			cfg.LLMTimeout = d
		} else {
			cfg.badEnv = append(cfg.badEnv, "MINSHENG_LLM_TIMEOUT must be a Go duration such as 30s, not "+strconv.Quote(v))
		}
	}
}

// parseAllowedLinks reads a comma-separated list of hosts (hunnan.gov.cn,
// which allows its subdomains too; a URL stands for its host) and phone
// numbers (96123, 024-12345678).
func parseAllowedLinks(v string) ([]string, error) {
	var out []string
	for _, e := range strings.Split(v, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if !bot.ValidAllowedLink(e) {
			return nil, fmt.Errorf("%q is neither a host name (such as hunnan.gov.cn) nor a phone number", e)
		}
		out = append(out, e)
	}
	return out, nil
}

// llm returns the configured chat model, or nil for extractive answers.
// An LLM is configured by a base URL or an API key; a base URL other than
// OpenAI's needs a model name, since there is no sensible default there.
func (c Config) llm() (bot.ChatModel, error) {
	if c.LLMBaseURL == "" && c.LLMAPIKey == "" {
		return nil, nil
	}
	model := c.LLMModel
	if model == "" {
		if c.LLMBaseURL != "" && !strings.Contains(c.LLMBaseURL, "api.openai.com") {
			return nil, usageError{"MINSHENG_LLM_BASE_URL is set but MINSHENG_LLM_MODEL is not"}
		}
		model = "gpt-4o-mini"
	}
	return bot.NewOpenAIChat(bot.LLMConfig{BaseURL: c.LLMBaseURL, Model: model, APIKey: c.LLMAPIKey})
}

// parseFlags parses flags wherever they stand, so that
// `minsheng ask "问题" --json` works as people type it; after "--"
// everything is an argument. fs.Args() then holds the arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return helpRequest{fs}
			}
			return usageError{err.Error()}
		}
		left := fs.Args()
		if consumed := len(rest) - len(left); consumed > 0 && rest[consumed-1] == "--" && !takesValue(fs, rest[:consumed-1]) {
			positional = append(positional, left...)
			break
		}
		if len(left) == 0 {
			break
		}
		positional = append(positional, left[0])
		rest = left[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

// takesValue reports whether the last of args is a flag waiting for its
// value, so that a following "--" is that value, not the end of flags.
func takesValue(fs *flag.FlagSet, args []string) bool {
	if len(args) == 0 {
		return false
	}
	last := args[len(args)-1]
	if !strings.HasPrefix(last, "-") || strings.Contains(last, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(last, "-"))
	if f == nil {
		return false
	}
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return false
	}
	return true
}

// helpRequest is -h or --help on a command: its flags are printed and the
// command ends successfully.
type helpRequest struct{ fs *flag.FlagSet }

func (h helpRequest) Error() string { return "help requested" }

func (h helpRequest) print(w io.Writer) {
	fmt.Fprintf(w, "Usage of minsheng %s:\n", h.fs.Name())
	h.fs.SetOutput(w)
	h.fs.PrintDefaults()
}

// check reports environment values that could not be used.
func (c Config) check() error {
	if len(c.badEnv) > 0 {
		return usageError{strings.Join(c.badEnv, "; ")}
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

// bindDocuments registers the flags of commands that read documents from
// files or the web: one size cap for both, the fetch's deadline and reach,
// and where the PDF engine keeps its compiled code.
func bindDocuments(fs *flag.FlagSet, cfg *Config) {
	cfg.MaxDocumentBytes = retrieval.DefaultMaxDocumentBytes
	if v := os.Getenv("MINSHENG_MAX_DOCUMENT_BYTES"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			cfg.MaxDocumentBytes = n
		} else {
			cfg.badEnv = append(cfg.badEnv, "MINSHENG_MAX_DOCUMENT_BYTES must be a number of bytes above 0, not "+strconv.Quote(v))
		}
	}
	fs.Func("max-document-bytes", fmt.Sprintf("largest document added, from a file or a URL (MINSHENG_MAX_DOCUMENT_BYTES, default %d)", retrieval.DefaultMaxDocumentBytes), func(v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("want a number of bytes above 0")
		}
		cfg.MaxDocumentBytes = n
		return nil
	})
	cfg.FetchTimeout = retrieval.DefaultFetchTimeout
	if v := os.Getenv("MINSHENG_FETCH_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			cfg.FetchTimeout = d
		} else {
			cfg.badEnv = append(cfg.badEnv, "MINSHENG_FETCH_TIMEOUT must be a Go duration such as 60s, not "+strconv.Quote(v))
		}
	}
	fs.Func("fetch-timeout", fmt.Sprintf("bound on fetching one URL, redirects and retries included (MINSHENG_FETCH_TIMEOUT, default %s)", retrieval.DefaultFetchTimeout), func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a Go duration such as 60s")
		}
		cfg.FetchTimeout = d
		return nil
	})
	allow := os.Getenv("MINSHENG_FETCH_ALLOW_PRIVATE")
	switch allow {
	case "", "0", "false":
	case "1", "true":
		cfg.FetchAllowPrivate = true
	default:
		cfg.badEnv = append(cfg.badEnv, "MINSHENG_FETCH_ALLOW_PRIVATE must be 1 or 0, not "+strconv.Quote(allow))
	}
	fs.BoolVar(&cfg.FetchAllowPrivate, "fetch-allow-private", cfg.FetchAllowPrivate, "let URLs reach loopback and private addresses, e.g. an intranet site (MINSHENG_FETCH_ALLOW_PRIVATE=1)")
	fs.StringVar(&cfg.PDFCacheDir, "pdf-cache-dir", envOr("MINSHENG_PDF_CACHE_DIR", ""), "where the PDF engine keeps its compiled code, about 21 MB (MINSHENG_PDF_CACHE_DIR, default <data dir>/cache/pdfium)")
}

// pdfReader reads PDFs; its engine starts at the first PDF.
func (c Config) pdfReader() *retrieval.PDFReader {
	dir := c.PDFCacheDir
	if dir == "" {
		dir = filepath.Join(c.DataDir, "cache", "pdfium")
	}
	return &retrieval.PDFReader{CacheDir: dir}
}

func (c Config) fetchOptions() retrieval.FetchOptions {
	return retrieval.FetchOptions{MaxBytes: c.MaxDocumentBytes, Timeout: c.FetchTimeout, AllowPrivate: c.FetchAllowPrivate}
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
	lib := c.library()
	lib.Sweep(retrieval.TempGrace)
	added, err := lib.Load()
	if err != nil {
		return nil, err
	}
	docs = append(docs, added...)
	sup, err := lib.Supersessions()
	if err != nil {
		return nil, err
	}
	sup.Apply(docs)
	return docs, nil
}

// openIndex loads the index, building it when needed; progress lines go to
// progress (stderr for the CLI).
func (c Config) openIndex(ctx context.Context, progress io.Writer, rebuild bool) (*retrieval.Index, error) {
	emb, err := c.embedder()
	if err != nil {
		return nil, err
	}
	docs, err := c.documents()
	if err != nil {
		return nil, err
	}
	opt := retrieval.Options{Dir: c.DataDir, Embedder: emb, Progress: progress, Rebuild: rebuild}
	if c.Snapshots == nil || rebuild {
		return retrieval.Open(ctx, docs, opt)
	}
	return c.openShared(ctx, docs, opt, progress)
}

// Snapshots keeps saved indexes where every replica finds them
// (PostgreSQL's store.DB is one), so that a new replica starts without
// re-embedding; Lock lets one build what none has yet.
type Snapshots interface {
	GetSnapshot(ctx context.Context, key, dir string) (bool, error)
	PutSnapshot(ctx context.Context, key, dir string) error
	Lock(ctx context.Context, key int64) (unlock func(), err error)
}

// snapshotLock is the advisory lock held while an index no replica has
// yet is built: the others wait, then load what it stored.
const snapshotLock int64 = 0x6d696e7368656e67 + 2

// openShared opens the index through the shared snapshots: the saved one
// when it is current, else the snapshot under its key, else one built here
// (under the lock) and stored for the others. A failure of the store costs
// a local build, never the answerer.
func (c Config) openShared(ctx context.Context, docs []retrieval.Document, opt retrieval.Options, progress io.Writer) (*retrieval.Index, error) {
	key := retrieval.Key(docs, opt)
	if retrieval.SavedKey(c.DataDir) == key {
		return retrieval.Open(ctx, docs, opt)
	}
	unlock, err := c.Snapshots.Lock(ctx, snapshotLock)
	if err != nil {
		fmt.Fprintf(progress, "index: shared snapshots unavailable (%v); building here\n", err)
		return retrieval.Open(ctx, docs, opt)
	}
	defer unlock()
	found, err := c.Snapshots.GetSnapshot(ctx, key, retrieval.SnapshotDir(c.DataDir))
	switch {
	case err != nil:
		fmt.Fprintf(progress, "index: snapshot not read from PostgreSQL (%v); building here\n", err)
	case found:
		fmt.Fprintf(progress, "index: snapshot %.12s loaded from PostgreSQL\n", key)
	}
	ix, err := retrieval.Open(ctx, docs, opt)
	if err != nil || found {
		return ix, err
	}
	if retrieval.SavedKey(c.DataDir) == key {
		if err := c.Snapshots.PutSnapshot(ctx, key, retrieval.SnapshotDir(c.DataDir)); err != nil {
			fmt.Fprintf(progress, "index: snapshot not stored in PostgreSQL (%v)\n", err)
		} else {
			fmt.Fprintf(progress, "index: snapshot %.12s stored in PostgreSQL\n", key)
		}
	}
	return ix, nil
}

func (c Config) answerer(ctx context.Context, progress io.Writer) (*bot.Answerer, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	llm, err := c.llm()
	if err != nil {
		return nil, err
	}
	// Validate the prompt templates at start-up, not at the first question.
	set, err := prompts.Load()
	if err != nil {
		return nil, err
	}
	opt := bot.Options{LLM: llm, LLMTimeout: c.LLMTimeout, Prompts: set, AllowedLinks: c.AllowedLinks,
		OnLLMError: c.OnLLMError, OnRoute: c.OnRoute, OnStripped: c.OnStripped, OnUnanswered: c.OnUnanswered, Turns: c.Turns}
	if llm != nil {
		file, err := c.readEnvFile()
		if err != nil {
			return nil, usageError{err.Error()}
		}
		st, err := c.llmState(file)
		if err != nil {
			return nil, err
		}
		onErr := c.OnBudgetError
		if onErr == nil {
			onErr = func(err error) { fmt.Fprintf(progress, "minsheng: %v\n", err) }
		}
		if opt.Budget, err = c.budget(onErr); err != nil {
			return nil, err
		}
		opt.Limits = st.Limits
	}
	if !c.noCurated {
		onErr := c.OnCuratedError
		if onErr == nil {
			onErr = func(err error) { fmt.Fprintf(progress, "minsheng: %v\n", err) }
		}
		store, err := curated.OpenCounted(c.curatedDir(), c.CuratedCounter, onErr)
		if err != nil {
			return nil, fmt.Errorf("curated answers: %w", err)
		}
		opt.Curated = store
	}
	ix, err := c.openIndex(ctx, progress, false)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	opt.Documents = ix.Documents()
	return bot.NewAnswerer(ix, opt), nil
}

// curatedDir is where the curated answers are kept.
func (c Config) curatedDir() string {
	if c.CuratedDir != "" {
		return c.CuratedDir
	}
	return c.DataDir
}

// bindQueue registers the flag of the unanswered queue, for the commands
// that write or read it (serve, ask, unanswered).
func bindQueue(fs *flag.FlagSet, cfg *Config) {
	cfg.QueueRetention = bot.DefaultQueueRetention
	if v := os.Getenv("MINSHENG_QUEUE_RETENTION"); v != "" {
		if d, err := parseRetention(v); err == nil {
			cfg.QueueRetention = d
		} else {
			cfg.badEnv = append(cfg.badEnv, "MINSHENG_QUEUE_RETENTION: "+err.Error())
		}
	}
	fs.Func("queue-retention", "how long the unanswered queue keeps a question: days (180 or 180d) or a Go duration (MINSHENG_QUEUE_RETENTION, default 180d)", func(v string) error {
		d, err := parseRetention(v)
		if err != nil {
			return err
		}
		cfg.QueueRetention = d
		return nil
	})
}

// parseRetention reads a number of days ("180", "180d") or a Go duration
// ("720h"); it must be positive.
func parseRetention(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(strings.TrimSuffix(v, "d")); err == nil {
		if n <= 0 || n > maxRetentionDays {
			return 0, fmt.Errorf("%q: want 1 to %d days", v, maxRetentionDays)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > maxRetentionDays*24*time.Hour {
		return 0, fmt.Errorf("%q: want days such as 180d or a Go duration such as 720h", v)
	}
	return d, nil
}

// maxRetentionDays bounds the retention to ten years, far past any use and
// well within a Duration.
const maxRetentionDays = 3650

// queue opens the unanswered queue in the data folder.
func (c Config) queue() (*bot.Queue, error) {
	return bot.OpenQueue(filepath.Join(c.DataDir, queueFile), c.QueueRetention)
}

// queueFile is the unanswered queue's name in the data folder.
const queueFile = "unanswered.jsonl"
