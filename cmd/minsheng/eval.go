package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/minsheng/minsheng/bot"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	bindCommon(fs, &cfg)
	path := fs.String("questions", "testdata/dev.jsonl", "evaluation questions (JSON lines)")
	onlyJSON := fs.Bool("json", false, "print only the JSON report")
	outPath := fs.String("out", "", "also write the JSON report to this file")
	sweep := fs.String("sweep", "", "risk–coverage sweep of one policy field, NAME=FROM:TO:STEP (e.g. min_coverage=0.2:0.5:0.02)")
	svgPath := fs.String("svg", "", "with --sweep, also draw the curve as SVG to this file")
	answersPath := fs.String("answers", "", "also write each question's answer to this file (JSON lines: id, q, confidence, answer, cited), to read what was judged")
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
	cfg.noCurated = true // the documents' own answers are measured
	a, err := cfg.answerer(ctx, stderr)
	if err != nil {
		return err
	}
	asker := func(a *bot.Answerer) bot.AskFunc {
		return func(ctx context.Context, req bot.Request) (bot.Answer, error) {
			req.Region = cfg.Region
			return a.Answer(ctx, req)
		}
	}
	if *sweep != "" {
		name, values, err := parseSweep(*sweep)
		if err != nil {
			return usageError{err.Error()}
		}
		base := a.Policy()
		if err := base.Set(name, values[0]); err != nil {
			return usageError{err.Error()}
		}
		curve, err := bot.Sweep(ctx, qs, values, func(v float64) (bot.AskFunc, error) {
			p := base
			if err := p.Set(name, v); err != nil {
				return nil, err
			}
			return asker(a.WithPolicy(p)), nil
		})
		if err != nil {
			return err
		}
		if *svgPath != "" {
			if err := os.WriteFile(*svgPath, []byte(bot.Curve(curve).SVG()), 0o644); err != nil {
				return fmt.Errorf("writing %s: %w", *svgPath, err)
			}
		}
		if out != nil {
			if err := writeJSON(out, curve); err != nil {
				return fmt.Errorf("writing %s: %w", *outPath, err)
			}
			out.Close()
			out = nil
		}
		if !*onlyJSON {
			fmt.Fprintf(stdout, "sweep of %s over %s\n%s\n", name, *path, bot.Curve(curve).Table())
		}
		return writeJSON(stdout, curve)
	}
	ask := asker(a)
	var answers *answerLog
	if *answersPath != "" {
		// Created before the questions are asked, like the report, so a bad
		// path fails at once.
		if answers, err = newAnswerLog(*answersPath); err != nil {
			return usageError{fmt.Sprintf("cannot write answers: %v", err)}
		}
		ask = answers.wrap(ask)
	}
	rep, err := bot.Evaluate(ctx, ask, qs)
	if err != nil {
		if answers != nil {
			answers.close()
		}
		return err
	}
	if answers != nil {
		if err := answers.close(); err != nil {
			return fmt.Errorf("writing %s: %w", *answersPath, err)
		}
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

// parseSweep reads NAME=FROM:TO:STEP into the field name and its values.
func parseSweep(s string) (string, []float64, error) {
	name, rng, ok := strings.Cut(s, "=")
	parts := strings.Split(rng, ":")
	if !ok || name == "" || len(parts) != 3 {
		return "", nil, fmt.Errorf("--sweep wants NAME=FROM:TO:STEP, not %q", s)
	}
	var f [3]float64
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return "", nil, fmt.Errorf("--sweep %q: %v", s, err)
		}
		f[i] = v
	}
	from, to, step := f[0], f[1], f[2]
	if step <= 0 || to < from || (to-from)/step > 200 {
		return "", nil, fmt.Errorf("--sweep %q: want FROM ≤ TO and a positive STEP giving at most 200 values", s)
	}
	var values []float64
	for i := 0; ; i++ {
		v := from + float64(i)*step
		if v > to+step/1e6 {
			break
		}
		values = append(values, math.Round(v*1e6)/1e6)
	}
	return name, values, nil
}

// answerLog writes every answer an evaluation judged, in the order asked, so
// that a person can read why a question failed without asking it again.
type answerLog struct {
	f   *os.File
	enc *json.Encoder
	err error
}

func newAnswerLog(path string) (*answerLog, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	return &answerLog{f: f, enc: enc}, nil
}

func (l *answerLog) wrap(ask bot.AskFunc) bot.AskFunc {
	return func(ctx context.Context, req bot.Request) (bot.Answer, error) {
		ans, err := ask(ctx, req)
		line := struct {
			ID         string   `json:"id"`
			Q          string   `json:"q"`
			Context    []string `json:"context,omitempty"`
			Confidence string   `json:"confidence,omitempty"`
			Answer     string   `json:"answer,omitempty"`
			Cited      []string `json:"cited,omitempty"`
			Error      string   `json:"error,omitempty"`
		}{ID: req.ID, Q: req.Question, Context: req.History}
		if err != nil {
			line.Error = err.Error()
		} else {
			line.Confidence, line.Answer = bot.Decision(ans), ans.Answer
			for _, c := range ans.Citations {
				line.Cited = append(line.Cited, c.Source)
			}
		}
		if l.err == nil {
			l.err = l.enc.Encode(line)
		}
		return ans, err
	}
}

func (l *answerLog) close() error {
	err := l.f.Close()
	if l.err != nil {
		return l.err
	}
	return err
}
