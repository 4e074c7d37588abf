package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/minsheng/minsheng/bot"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	bindCommon(fs, &cfg)
	path := fs.String("questions", "testdata/dev.jsonl", "evaluation questions (JSON lines)")
	onlyJSON := fs.Bool("json", false, "print only the JSON report")
	outPath := fs.String("out", "", "also write the JSON report to this file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := os.Open(*path)
	if err != nil {
		return usageError{fmt.Sprintf("cannot read questions: %v", err)}
	}
	defer f.Close()
	qs, err := bot.ReadQuestions(f)
	if err != nil {
		return usageError{fmt.Sprintf("%s: %v", *path, err)}
	}
	// The report file is created before the questions are asked, so that a
	// bad path fails at once; it is removed again if no report reaches it.
	var out *os.File
	if *outPath != "" {
		if out, err = os.Create(*outPath); err != nil {
			return usageError{fmt.Sprintf("cannot write report: %v", err)}
		}
		defer func() {
			if out != nil {
				out.Close()
				os.Remove(*outPath)
			}
		}()
	}
	a, err := cfg.answerer(ctx, stderr)
	if err != nil {
		return err
	}
	ask := func(ctx context.Context, req bot.Request) (bot.Answer, error) {
		req.Region = cfg.Region
		return a.Answer(ctx, req)
	}
	rep, err := bot.Evaluate(ctx, ask, qs)
	if err != nil {
		return err
	}
	if out != nil {
		err := writeJSON(out, rep)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		out = nil
		if err != nil {
			os.Remove(*outPath)
			return fmt.Errorf("writing %s: %w", *outPath, err)
		}
	}
	if !*onlyJSON {
		fmt.Fprint(stdout, rep.Table())
		fmt.Fprintln(stdout)
	}
	return writeJSON(stdout, rep)
}
