package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/retrieval"
	"github.com/minsheng/minsheng/store"
)

// runDocuments lists, shows, removes and supersedes documents.
func runDocuments(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"documents: want list, show ID, remove ID or supersede ID --by ID2"}
	}
	sub := args[0]
	var cfg Config
	fset := flag.NewFlagSet("documents "+sub, flag.ContinueOnError)
	bindCommon(fset, &cfg)
	accept := fset.Bool("accept", false, "make the change even when check questions about other documents lose their answer")
	by := fset.String("by", "", "supersede: the document that replaces it (name or number in the list)")
	if err := parseFlags(fset, args[1:]); err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	if err := pullLibrary(ctx, cfg); err != nil {
		return err
	}
	docs, err := cfg.documents()
	if err != nil {
		return err
	}
	seedDocs, err := retrieval.SeedDocuments()
	if err != nil {
		return err
	}
	rest := fset.Args()
	one := func() (retrieval.Document, error) {
		if len(rest) != 1 {
			return retrieval.Document{}, usageError{fmt.Sprintf("documents %s: give one ID (a name or a number from documents list)", sub)}
		}
		return findDocument(docs, rest[0])
	}
	switch sub {
	case "list":
		for i, d := range docs {
			origin := "added"
			if isSeed(seedDocs, d.Source) {
				origin = "built-in"
			}
			fmt.Fprintf(stdout, "%d. %s 《%s》 %s · %s · %s%s\n", i+1, d.Source, d.Title, retrieval.RegionName(d.Region), d.Date, origin, validityLine(d, docs))
		}
		return nil
	case "show":
		d, err := one()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "name:      %s\ntitle:     %s\nissuer:    %s\nregion:    %s\ndate:      %s\nkind:      %s\n",
			d.Source, d.Title, d.Issuer, retrieval.RegionName(d.Region), d.Date, d.Kind)
		for _, f := range []struct{ k, v string }{{"number", d.Number}, {"effective", d.Effective}, {"expires", d.Expires}, {"superseded", supersededName(d, docs)}} {
			if f.v != "" {
				fmt.Fprintf(stdout, "%-10s %s\n", f.k+":", f.v)
			}
		}
		state := "in force"
		if !d.InForce(time.Now()) {
			state = "not in force"
		}
		fmt.Fprintf(stdout, "status:    %s\n", state)
		return nil
	case "remove":
		d, err := one()
		if err != nil {
			return err
		}
		if isSeed(seedDocs, d.Source) {
			return badInputError{retrieval.BuiltinNotRemovable(d.Source)}
		}
		lib := cfg.library()
		err = changeLibrary(ctx, cfg, stdout, stderr, libraryChange{names: []string{d.Source}, accept: *accept,
			apply: func() error { return lib.Remove(d.Source) }})
		if err == nil {
			fmt.Fprintf(stdout, "removed %s\n", d.Source)
		}
		return err
	case "supersede":
		d, err := one()
		if err != nil {
			return err
		}
		if *by == "" {
			return usageError{"documents supersede: --by names the document that replaces it"}
		}
		repl, err := findDocument(docs, *by)
		if err != nil {
			return err
		}
		if repl.Source == d.Source {
			return badInputError{"a document cannot supersede itself"}
		}
		lib := cfg.library()
		err = changeLibrary(ctx, cfg, stdout, stderr, libraryChange{superseded: []string{d.Source}, accept: *accept,
			apply: func() error { return lib.Supersede(d.Source, repl.Source) }})
		if err == nil {
			fmt.Fprintf(stdout, "%s is marked superseded by %s\n", d.Source, repl.Source)
		}
		return err
	default:
		return usageError{fmt.Sprintf("documents: unknown subcommand %q (list, show, remove, supersede)", sub)}
	}
}

// findDocument reads an ID: a name as listed, or its number in the list.
func findDocument(docs []retrieval.Document, id string) (retrieval.Document, error) {
	if n, err := strconv.Atoi(id); err == nil {
		if n >= 1 && n <= len(docs) {
			return docs[n-1], nil
		}
		return retrieval.Document{}, badInputError{fmt.Sprintf("no document number %d: documents list shows 1–%d", n, len(docs))}
	}
	for _, d := range docs {
		if d.Source == id {
			return d, nil
		}
	}
	return retrieval.Document{}, badInputError{fmt.Sprintf("no document named %q; documents list shows the names", id)}
}

func supersededName(d retrieval.Document, docs []retrieval.Document) string {
	if d.SupersededBy == "" {
		return ""
	}
	for _, o := range docs {
		if o.Source == d.SupersededBy {
			return fmt.Sprintf("%s 《%s》", o.Source, o.Title)
		}
	}
	return d.SupersededBy
}

func validityLine(d retrieval.Document, docs []retrieval.Document) string {
	var parts []string
	if d.Number != "" {
		parts = append(parts, d.Number)
	}
	if d.Effective != "" {
		parts = append(parts, "effective "+d.Effective)
	}
	if d.Expires != "" {
		parts = append(parts, "expires "+d.Expires)
	}
	if s := supersededName(d, docs); s != "" {
		parts = append(parts, "superseded by "+s)
	}
	if !d.InForce(time.Now()) {
		parts = append(parts, "NOT IN FORCE")
	}
	if len(parts) == 0 {
		return ""
	}
	return " · " + strings.Join(parts, " · ")
}

// libraryChange is a change to the library, checked by the check set.
type libraryChange struct {
	// names are the documents added, replaced or removed; superseded
	// those marked superseded. Questions about them may move.
	names, superseded []string
	accept            bool
	apply             func() error
}

// checksRefused is a change undone because it broke answers about other
// documents.
type checksRefused struct{ broken int }

func (e checksRefused) Error() string {
	return fmt.Sprintf("change refused: %d check question(s) about other documents lost their facts or their document (✗ above); the library and index are as they were; --accept makes the change anyway", e.broken)
}

// changeLibrary runs the check set, applies the change, rebuilds the index
// and runs the check set again; it prints what moved, and undoes the change
// when answers about other documents broke, unless accepted.
func changeLibrary(ctx context.Context, cfg Config, stdout, stderr io.Writer, ch libraryChange) error {
	qs, err := bot.Checks()
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return changeSharedLibrary(ctx, cfg, stdout, stderr, ch, qs)
	}
	return changeLocalLibrary(ctx, cfg, stdout, stderr, ch, qs)
}

// pullLibrary brings the library kept in PostgreSQL into the data folder,
// when MINSHENG_DATABASE_URL is set, so that the CLI lists and names the
// documents the replicas serve.
func pullLibrary(ctx context.Context, cfg Config) error {
	if cfg.DatabaseURL == "" {
		return nil
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return fmt.Errorf("PostgreSQL (MINSHENG_DATABASE_URL): %w", err)
	}
	defer db.Close()
	dir := cfg.library().Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := db.PullFiles(ctx, "library", dir); err != nil {
		return fmt.Errorf("pull the shared library: %w", err)
	}
	return nil
}

// changeSharedLibrary makes the change on the library kept in PostgreSQL:
// under the lock replicas publish with, it pulls the library into the data
// folder, changes and checks it there, and on success pushes it back with
// the index snapshot; every replica is told and swaps its index.
func changeSharedLibrary(ctx context.Context, cfg Config, stdout, stderr io.Writer, ch libraryChange, qs []bot.EvalQuestion) error {
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return fmt.Errorf("PostgreSQL (MINSHENG_DATABASE_URL): %w", err)
	}
	defer db.Close()
	unlock, err := db.Lock(ctx, libraryLock)
	if err != nil {
		return fmt.Errorf("lock the shared library: %w", err)
	}
	defer unlock()
	dir := cfg.library().Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := db.PullFiles(ctx, "library", dir); err != nil {
		return fmt.Errorf("pull the shared library: %w", err)
	}
	if err := changeLocalLibrary(ctx, cfg, stdout, stderr, ch, qs); err != nil {
		return err
	}
	v, err := db.PushFiles(ctx, "library", dir)
	if err != nil {
		return fmt.Errorf("the change is in %s but not shared with the replicas: %w", dir, err)
	}
	if key := retrieval.SavedKey(cfg.DataDir); key != "" {
		if err := db.PutSnapshot(ctx, key, retrieval.SnapshotDir(cfg.DataDir)); err != nil {
			fmt.Fprintf(stderr, "minsheng: index snapshot not stored (each replica builds its own): %v\n", err)
		}
	}
	fmt.Fprintf(stdout, "shared: library version %d is in PostgreSQL; the replicas swap to it\n", v)
	return nil
}

func changeLocalLibrary(ctx context.Context, cfg Config, stdout, stderr io.Writer, ch libraryChange, qs []bot.EvalQuestion) error {
	before, err := runChecks(ctx, cfg, stderr, qs)
	if err != nil {
		return fmt.Errorf("check set before the change: %w", err)
	}
	lib := cfg.library()
	snap, err := lib.Snapshot(ch.names...)
	if err != nil {
		return err
	}
	defer snap.Discard()
	if err := ch.apply(); err != nil {
		return err
	}
	undo := func(why error) error {
		if rerr := snap.Restore(); rerr != nil {
			return fmt.Errorf("%w; restoring the library failed too: %v", why, rerr)
		}
		if _, rerr := cfg.openIndex(ctx, stderr, true); rerr != nil {
			return fmt.Errorf("%w; the library is restored but its index could not be rebuilt (run minsheng ingest): %v", why, rerr)
		}
		return why
	}
	if _, err := cfg.openIndex(ctx, stderr, true); err != nil {
		return undo(fmt.Errorf("rebuild the index: %w", err))
	}
	after, err := runChecks(ctx, cfg, stderr, qs)
	if err != nil {
		return undo(fmt.Errorf("check set after the change: %w", err))
	}
	moves := bot.CompareChecks(qs, before, after, ch.names, ch.superseded)
	broken, moved := bot.Broken(moves), 0
	for _, m := range moves {
		if m.Moved() || m.Broken {
			moved++
			fmt.Fprintln(stdout, m)
		}
	}
	fmt.Fprintf(stdout, "checks: %d of %d questions moved, %d broken\n", moved, len(moves), broken)
	if len(ch.superseded) > 0 {
		fmt.Fprintf(stdout, "checks: answers about %s are meant to move: it is superseded\n", strings.Join(ch.superseded, ", "))
	}
	if broken > 0 && !ch.accept {
		return undo(checksRefused{broken})
	}
	if broken > 0 {
		fmt.Fprintln(stdout, "checks: accepted with --accept")
	}
	return nil
}

// runChecks answers the check set from the documents alone: an LLM would
// spend tokens on every change and could word the same evidence two ways,
// and what a change can break is which passages are found and quoted.
func runChecks(ctx context.Context, cfg Config, progress io.Writer, qs []bot.EvalQuestion) (bot.Report, error) {
	// Curated answers would answer before the documents and count hits
	// that no resident made; the queue is for residents' questions.
	cfg.LLMBaseURL, cfg.LLMAPIKey = "", ""
	cfg.noCurated, cfg.OnUnanswered = true, nil
	a, err := cfg.answerer(ctx, progress)
	if err != nil {
		return bot.Report{}, err
	}
	return bot.Evaluate(ctx, a.Answer, qs)
}
