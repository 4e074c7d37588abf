package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/minsheng/minsheng/bot"
)

// badInputError is a question the bot cannot take; its text is for the user.
type badInputError struct{ msg string }

func (e badInputError) Error() string { return e.msg }

func runAsk(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	bindCommon(fs, &cfg)
	bindQueue(fs, &cfg)
	queued := fs.Bool("queue", true, "put abstentions and closest answers in the unanswered queue (--queue=false for test runs)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	asJSONL := fs.Bool("jsonl", false, `read {"id","q"} lines on stdin, write one JSON object per line`)
	k := fs.Int("k", 10, "how many passages to retrieve")
	explain := fs.Bool("explain", false, "also show how the question was read and why it was answered or refused")
	var history stringList
	fs.Var(&history, "after", "an earlier question of the conversation, oldest first (repeatable): the question is asked as its follow-up")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *k < 1 || *k > 100 {
		return usageError{"--k must be between 1 and 100"}
	}
	if *queued {
		if err := cfg.check(); err != nil {
			return err
		}
		q, err := cfg.queue()
		if err != nil {
			return err
		}
		cfg.OnUnanswered = func(req bot.Request, ans bot.Answer) {
			if err := q.RecordAnswer(req, ans); err != nil {
				fmt.Fprintf(stderr, "minsheng: question not queued: %v\n", bot.Mask(err.Error()))
			}
		}
	}
	if *asJSONL {
		if fs.NArg() > 0 {
			return usageError{"--jsonl reads questions from stdin; give no question argument"}
		}
		if len(history) > 0 {
			return usageError{`--jsonl takes a follow-up's earlier questions from each line ("context": [...]), not from --after`}
		}
		a, err := cfg.answerer(ctx, stderr)
		if err != nil {
			return err
		}
		return askBatch(ctx, a, batchOptions{region: cfg.Region, k: *k, explain: *explain}, stdin, stdout)
	}
	if fs.NArg() == 0 {
		return usageError{`ask needs a question, e.g. minsheng ask "浑南区有老年食堂吗?"`}
	}
	question := strings.Join(fs.Args(), " ")
	// Check the question before paying for the index.
	if _, err := bot.CleanQuestion(question); err != nil {
		return badInputError{bot.Reply(err)}
	}
	a, err := cfg.answerer(ctx, stderr)
	if err != nil {
		return err
	}
	ans, err := a.Answer(ctx, bot.Request{Question: question, Region: cfg.Region, K: *k, History: history, Explain: *explain})
	if err != nil {
		if bot.KindOf(err) == bot.KindBadInput {
			return badInputError{bot.Reply(err)}
		}
		return err
	}
	if *asJSON {
		return writeJSON(stdout, ans)
	}
	if _, err = io.WriteString(stdout, renderText(ans)); err != nil || ans.Judgement == nil {
		return err
	}
	b, err := json.MarshalIndent(ans.Judgement, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\njudgement: %s\n", b)
	return err
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, " | ") }

func (l *stringList) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty question")
	}
	*l = append(*l, s)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// batchLine is one line of --jsonl input. Other fields are ignored, so an
// evaluation file can be piped in as it is.
type batchLine struct {
	ID     string  `json:"id"`
	Q      *string `json:"q"`
	Region string  `json:"region"`
	// Context holds the earlier questions of a follow-up, oldest first, as
	// in an evaluation file.
	Context []string `json:"context"`
}

// batchOptions apply to every line of --jsonl.
type batchOptions struct {
	region  string
	k       int
	explain bool
}

// batchError is written in place of an answer for a line that fails; the
// other lines are still answered.
type batchError struct {
	ID    string `json:"id"`
	Error string `json:"error"`
	Line  int    `json:"line"`
}

// maxBatchLine bounds one --jsonl line; a longer one gets an error object
// and the lines after it are still answered.
const maxBatchLine = 1 << 20

func askBatch(ctx context.Context, a *bot.Answerer, opt batchOptions, stdin io.Reader, stdout io.Writer) error {
	r := bufio.NewReaderSize(stdin, 64*1024)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for n := 1; ; n++ {
		raw, tooLong, err := readLine(r, maxBatchLine)
		if err == io.EOF && len(raw) == 0 && !tooLong {
			return nil
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("read questions (line %d): %w", n, err)
		}
		if tooLong {
			writeJSON(w, batchError{Line: n, Error: fmt.Sprintf("这一行超过%d字节,未处理", maxBatchLine)})
		} else if raw = bytes.TrimSpace(raw); len(raw) > 0 {
			if err := answerLine(ctx, a, opt, n, raw, w); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine reads one line of at most max bytes; the rest of a longer line
// is read and dropped, and tooLong says so.
func readLine(r *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			tooLong = true
			line = nil
		} else if !tooLong {
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, tooLong, err
	}
}

func answerLine(ctx context.Context, a *bot.Answerer, opt batchOptions, n int, raw []byte, w io.Writer) error {
	var in batchLine
	if err := json.Unmarshal(raw, &in); err != nil {
		return writeJSON(w, batchError{Line: n, Error: "这一行不是有效的JSON: " + err.Error()})
	}
	if in.Q == nil {
		return writeJSON(w, batchError{ID: in.ID, Line: n, Error: `缺少字段 "q"`})
	}
	region := opt.region
	if in.Region != "" {
		region = in.Region
	}
	ans, err := a.Answer(ctx, bot.Request{ID: in.ID, Question: *in.Q, Region: region, K: opt.k, History: in.Context, Explain: opt.explain})
	if errors.Is(err, context.Canceled) {
		return err
	}
	if err != nil {
		return writeJSON(w, batchError{ID: in.ID, Line: n, Error: bot.Reply(err)})
	}
	return writeJSON(w, ans)
}

// renderText is the readable form: the answer, then numbered sources.
func renderText(ans bot.Answer) string {
	var b strings.Builder
	b.WriteString(ans.Answer)
	b.WriteString("\n")
	if len(ans.Citations) > 0 {
		b.WriteString("\n来源:\n")
		for _, c := range ans.Citations {
			fmt.Fprintf(&b, "[%d] 《%s》 %s · %s · %s\n    “%s”\n", c.N, c.Title, c.Region, c.Date, c.Section, c.Quote)
		}
	}
	return b.String()
}
