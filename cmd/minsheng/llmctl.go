package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/store"
)

// The LLM's limits an operator may change while serve runs: the switch,
// the concurrency and the daily token budget (bot.LLMLimits). They come
// from, weakest first: the defaults, the environment, the env file
// (MINSHENG_ENV_FILE, re-read on SIGHUP) and the command line; the switch
// file in the data folder (`minsheng llm off|on`) can turn the LLM off
// whatever they say.
const (
	envLLMEnabled     = "MINSHENG_LLM_ENABLED"
	envLLMConcurrency = "MINSHENG_LLM_CONCURRENCY"
	envLLMDailyTokens = "MINSHENG_LLM_DAILY_TOKENS"
)

var liveKeys = []string{envLLMEnabled, envLLMConcurrency, envLLMDailyTokens}

// maxLLMConcurrency bounds MINSHENG_LLM_CONCURRENCY: past it a typo (800
// for 8) would let a burst of questions start, and bill, hundreds of calls
// at once.
const maxLLMConcurrency = 256

// Files of the data folder.
const (
	llmSwitchFile = "llm-switch.json"
	llmUsageFile  = "llm-usage.json"
)

// switchPoll is how often serve reads the switch file. `minsheng llm off`
// runs as another process, which cannot signal the server (it does not
// know its pid, and may run in another container on the shared volume);
// reading a tiny file every two seconds costs nothing, and two seconds is
// soon enough for an operator reaching for a kill switch.
const switchPoll = 2 * time.Second

// applyLive sets the limit key names from its text value.
func applyLive(l *bot.LLMLimits, key, value string) error {
	switch key {
	case envLLMEnabled:
		on, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("%s must be true or false, not %q", key, value)
		}
		l.Off = !on
	case envLLMConcurrency:
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > maxLLMConcurrency {
			return fmt.Errorf("%s must be a whole number from 1 to %d, not %q", key, maxLLMConcurrency, value)
		}
		l.Concurrency = n
	case envLLMDailyTokens:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("%s must be a whole number of tokens (0: no bound), not %q", key, value)
		}
		l.DailyTokens = n
	}
	return nil
}

// bindLLMLimits reads the limits from the environment and registers their
// flags.
func bindLLMLimits(fs *flag.FlagSet, cfg *Config) {
	cfg.llmEnv = bot.LLMLimits{Concurrency: bot.DefaultLLMConcurrency}
	cfg.llmFlags = map[string]string{}
	for _, key := range liveKeys {
		if v := os.Getenv(key); v != "" {
			if err := applyLive(&cfg.llmEnv, key, v); err != nil {
				cfg.badEnv = append(cfg.badEnv, err.Error())
			}
		}
	}
	flagOf := func(key string) func(string) error {
		return func(v string) error {
			var probe bot.LLMLimits
			if err := applyLive(&probe, key, v); err != nil {
				return err
			}
			cfg.llmFlags[key] = v
			return nil
		}
	}
	fs.BoolFunc("llm-enabled", "use the LLM when one is configured; false answers from the documents' text only (MINSHENG_LLM_ENABLED, default true)", flagOf(envLLMEnabled))
	fs.Func("llm-concurrency", fmt.Sprintf("LLM calls in flight at most; past it questions are answered from the documents' text at once (MINSHENG_LLM_CONCURRENCY, default %d)", bot.DefaultLLMConcurrency), flagOf(envLLMConcurrency))
	fs.Func("llm-daily-tokens", "tokens the LLM may use a day; 0 is no bound (MINSHENG_LLM_DAILY_TOKENS, default 0)", flagOf(envLLMDailyTokens))
	fs.StringVar(&cfg.LLMBudgetTZ, "llm-budget-tz", envOr("MINSHENG_LLM_BUDGET_TZ", "Asia/Shanghai"), "time zone whose midnight starts a new token budget day (MINSHENG_LLM_BUDGET_TZ)")
	fs.StringVar(&cfg.EnvFile, "env-file", envOr("MINSHENG_ENV_FILE", ""), "file of KEY=value lines whose LLM limits serve re-reads on SIGHUP (MINSHENG_ENV_FILE)")
}

var envKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// readEnvFile reads the env file (nothing when none is configured).
func (c Config) readEnvFile() (map[string]string, error) {
	if c.EnvFile == "" {
		return nil, nil
	}
	raw, err := os.ReadFile(c.EnvFile)
	if err != nil {
		return nil, fmt.Errorf("MINSHENG_ENV_FILE: %w", err)
	}
	return parseEnvFile(c.EnvFile, raw)
}

// parseEnvFile reads KEY=value lines, as systemd's EnvironmentFile= and
// docker's --env-file do: blank lines and # comments are skipped, an
// "export " before the key and quotes around the value are allowed. The
// LLM limits among them must be valid. A bad line is an error naming the
// line, never its text, which may hold a key.
func parseEnvFile(name string, raw []byte) (map[string]string, error) {
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("env file %s is not UTF-8 text", name)
	}
	out := map[string]string{}
	var probe bot.LLMLimits
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		key = strings.TrimSpace(key)
		if !ok || !envKey.MatchString(key) {
			return nil, fmt.Errorf("env file %s line %d: want KEY=value", name, i+1)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		if slices.Contains(liveKeys, key) {
			if err := applyLive(&probe, key, value); err != nil {
				return nil, fmt.Errorf("env file %s line %d: %w", name, i+1, err)
			}
		}
		out[key] = value
	}
	return out, nil
}

// llmState is what the LLM may do now.
type llmState struct {
	Limits bot.LLMLimits
	Switch bot.LLMSwitch
	// SettingsOff: MINSHENG_LLM_ENABLED=false keeps the LLM off whatever
	// the switch says.
	SettingsOff bool
}

func (c Config) switchPath() string { return filepath.Join(c.DataDir, llmSwitchFile) }

// llmSwitch reads the switch: c.Switch when set, else the file.
func (c Config) llmSwitch() (bot.LLMSwitch, error) {
	if c.Switch != nil {
		return c.Switch.LLMSwitch()
	}
	return bot.ReadLLMSwitch(c.switchPath())
}

// llmState combines the settings, with file the env file's values, and
// the switch.
func (c Config) llmState(file map[string]string) (llmState, error) {
	l, err := c.llmLimits(file)
	if err != nil {
		return llmState{}, err
	}
	sw, err := c.llmSwitch()
	if err != nil {
		return llmState{}, err
	}
	st := llmState{Limits: l, Switch: sw, SettingsOff: l.Off}
	if !sw.On {
		st.Limits.Off = true
	}
	return st, nil
}

// llmLimits combines the settings, with file the env file's values.
func (c Config) llmLimits(file map[string]string) (bot.LLMLimits, error) {
	l := c.llmEnv
	for _, src := range []map[string]string{file, c.llmFlags} {
		for _, key := range liveKeys {
			if v, ok := src[key]; ok {
				if err := applyLive(&l, key, v); err != nil {
					return bot.LLMLimits{}, err
				}
			}
		}
	}
	if l.Concurrency <= 0 {
		l.Concurrency = bot.DefaultLLMConcurrency
	}
	return l, nil
}

// budgetZone is the zone of budget days.
func (c Config) budgetZone() (*time.Location, error) {
	if c.LLMBudgetTZ == "" || c.LLMBudgetTZ == "Asia/Shanghai" {
		return bot.BeijingTime(), nil
	}
	loc, err := time.LoadLocation(c.LLMBudgetTZ)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--llm-budget-tz / MINSHENG_LLM_BUDGET_TZ: %q is no time zone such as Asia/Shanghai or UTC", c.LLMBudgetTZ)}
	}
	return loc, nil
}

// budget opens the day's token count: c.Tokens when set, else the file
// in the data folder.
func (c Config) budget(onErr func(error)) (*bot.TokenBudget, error) {
	loc, err := c.budgetZone()
	if err != nil {
		return nil, err
	}
	if c.Tokens != nil {
		return bot.NewSharedTokenBudget(c.Tokens, loc, onErr), nil
	}
	return bot.OpenTokenBudget(filepath.Join(c.DataDir, llmUsageFile), loc, onErr)
}

// checkLLM reports a bad env file, time zone or (with switchFile) switch
// file before serve starts listening. With a database the switch is read
// from it once serve has connected.
func (c Config) checkLLM(switchFile bool) error {
	file, err := c.readEnvFile()
	if err != nil {
		return usageError{err.Error()}
	}
	if _, err := c.budgetZone(); err != nil {
		return err
	}
	if !switchFile {
		_, err = c.llmLimits(file)
		return err
	}
	_, err = c.llmState(file)
	return err
}

// runLLM is `minsheng llm off|on|status`.
func runLLM(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("llm", flag.ContinueOnError)
	bindCommon(fs, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || !slices.Contains([]string{"off", "on", "status"}, fs.Arg(0)) {
		return usageError{"llm takes one of off, on, status"}
	}
	if err := cfg.check(); err != nil {
		return err
	}
	cmd := fs.Arg(0)
	// With a database (from the environment only, as for serve: the URL
	// may hold a password) the switch and the count are the replicas'.
	var db *store.DB
	if url := os.Getenv("MINSHENG_DATABASE_URL"); url != "" {
		var err error
		if db, err = store.Open(ctx, url, store.Options{}); err != nil {
			return fmt.Errorf("PostgreSQL (MINSHENG_DATABASE_URL): %w", err)
		}
		defer db.Close()
		cfg.Tokens = dbTokens{db}
	}
	status := func() error {
		if db != nil {
			sw := &dbSwitch{db: db}
			if err := sw.reload(ctx); err != nil {
				return err
			}
			cfg.Switch = sw
		}
		return printLLMStatus(cfg, stdout)
	}
	if cmd == "status" {
		if err := cfg.checkLLM(db == nil); err != nil {
			return err
		}
		return status()
	}
	// The switch is written even when the settings have a fault: it is
	// what an operator reaches for when things go wrong.
	sw := bot.LLMSwitch{On: cmd == "on", Changed: time.Now().UTC()}
	if db != nil {
		if err := writeDBSwitch(ctx, db, sw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "switched %s in PostgreSQL; every serve replica using it follows within a second or two\n", cmd)
	} else {
		if err := bot.WriteLLMSwitch(cfg.switchPath(), sw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "switched %s; a running serve follows within %s (at once on SIGHUP)\n", cmd, switchPoll)
	}
	if err := status(); err != nil {
		fmt.Fprintf(stderr, "minsheng: status: %v\n", err)
	}
	return nil
}

func printLLMStatus(cfg Config, w io.Writer) error {
	file, err := cfg.readEnvFile()
	if err != nil {
		return usageError{err.Error()}
	}
	st, err := cfg.llmState(file)
	if err != nil {
		return err
	}
	switch {
	case cfg.LLMBaseURL == "" && cfg.LLMAPIKey == "":
		fmt.Fprintln(w, "llm: none configured; answers come from the documents' text")
	case !st.Switch.On:
		fmt.Fprintf(w, "llm: off (`minsheng llm off` at %s)\n", st.Switch.Changed.Format(time.RFC3339))
	case st.SettingsOff:
		fmt.Fprintf(w, "llm: off (%s=false; the switch is on)\n", envLLMEnabled)
	default:
		fmt.Fprintln(w, "llm: on")
	}
	fmt.Fprintf(w, "concurrency: %d\n", st.Limits.Concurrency)
	b, err := cfg.budget(nil)
	if err != nil {
		return err
	}
	day, used := b.Used()
	if st.Limits.DailyTokens > 0 {
		fmt.Fprintf(w, "tokens: %d used of %d on %s (%s)\n", used, st.Limits.DailyTokens, day, b.Zone())
	} else {
		fmt.Fprintf(w, "tokens: %d used on %s (%s; no daily bound)\n", used, day, b.Zone())
	}
	return nil
}

// limiter is what watchLLM changes; *bot.Answerer is one.
type limiter interface {
	LLMLimits() bot.LLMLimits
	SetLLMLimits(bot.LLMLimits)
}

// watchLLM keeps a's limits in step with the settings until ctx ends: the
// env file is re-read on every SIGHUP (hup), the switch also every
// switchPoll and at once when changed (the switch in PostgreSQL) wakes it.
// A file that cannot be read is logged and the limits in force are kept.
func watchLLM(ctx context.Context, c Config, a limiter, hup <-chan os.Signal, changed <-chan struct{}, log *slog.Logger) {
	file, err := c.readEnvFile()
	if err != nil {
		log.Error("env file not read; keeping the settings in force", "error", err)
	}
	t := time.NewTicker(switchPoll)
	defer t.Stop()
	lastErr := ""
	apply := func(reloaded bool) {
		st, err := c.llmState(file)
		if err != nil {
			// The poll would repeat the same error every two seconds.
			if reloaded || err.Error() != lastErr {
				log.Error("LLM settings not applied; keeping those in force", "error", err)
			}
			lastErr = err.Error()
			return
		}
		lastErr = ""
		if old := a.LLMLimits(); old != st.Limits || reloaded {
			a.SetLLMLimits(st.Limits)
			log.Info("llm settings", "enabled", !st.Limits.Off, "switch", onOff(st.Switch.On),
				"concurrency", a.LLMLimits().Concurrency, "daily_tokens", st.Limits.DailyTokens, "changed", old != st.Limits)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			next, err := c.readEnvFile()
			if err != nil {
				log.Error("env file not reloaded; keeping the settings in force", "error", err)
				continue
			}
			file = next
			for key, v := range file {
				// Only the limits change while serving; the rest of the
				// file is for the service manager, read at start.
				if strings.HasPrefix(key, "MINSHENG_") && !slices.Contains(liveKeys, key) && os.Getenv(key) != v {
					log.Warn("setting changed in the env file takes effect after a restart", "key", key)
				}
			}
			apply(true)
		case <-t.C:
			apply(false)
		case <-changed:
			apply(false)
		}
	}
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
