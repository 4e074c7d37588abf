// Command minsheng answers questions about local livelihood policy from
// official documents, citing the document and section behind every answer.
//
//	minsheng ask "浑南区有老年食堂吗?"      answer one question
//	minsheng ask --jsonl < questions.jsonl  answer many, one JSON object a line
//	minsheng ingest [--region R --date D] FILE|DIR|URL…   add documents, rebuild
//	minsheng documents list|show|remove|supersede     the library of documents
//	minsheng eval --questions testdata/dev.jsonl       measure
//	minsheng serve                                     web page, APIs, Telegram
//	minsheng llm off|on|status                         the LLM's kill switch
//	minsheng faq import|export FILE, faq list          curated answers
//	minsheng unanswered [export FILE.csv|FILE.xlsx]    what residents could not get answered
//
// Every flag has an environment variable as its default (MINSHENG_…), so a
// container can be configured without a command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	// Budget days may be counted in any zone (MINSHENG_LLM_BUDGET_TZ); the
	// container image has no zone database of its own.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exit codes
const (
	exitOK       = 0
	exitFailure  = 1 // something broke
	exitBadInput = 2 // the user's input or flags are wrong
)

// usageError marks errors caused by how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitBadInput
	}
	var err error
	switch args[0] {
	case "ask":
		err = runAsk(ctx, args[1:], stdin, stdout, stderr)
	case "ingest":
		err = runIngest(ctx, args[1:], stdout, stderr)
	case "documents":
		err = runDocuments(ctx, args[1:], stdout, stderr)
	case "eval":
		err = runEval(ctx, args[1:], stdout, stderr)
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr)
	case "llm":
		err = runLLM(ctx, args[1:], stdout, stderr)
	case "faq":
		err = runFAQ(ctx, args[1:], stdout, stderr)
	case "unanswered":
		err = runUnanswered(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	if err == nil {
		return exitOK
	}
	var ue usageError
	var be badInputError
	var help helpRequest
	switch {
	case errors.As(err, &help):
		help.print(stdout)
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "minsheng: %v\n\n%s", err, usage)
		return exitBadInput
	case errors.As(err, &be):
		fmt.Fprintf(stderr, "%v\n", err)
		return exitBadInput
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "minsheng: interrupted")
		return exitFailure
	default:
		fmt.Fprintf(stderr, "minsheng: %v\n", err)
		return exitFailure
	}
}

const usage = `minsheng — 民生问答: answers from official livelihood-policy documents, with citations.

Usage:
  minsheng ask [--json] [--region R] [--k N] [--explain] [--after "earlier question"] "问题"
  minsheng ask --jsonl < questions.jsonl      (lines of {"id","q"[,"context"]}; one JSON answer per line)
  minsheng ingest [--region R] [--date D] [--title T] [--issuer I] [--encoding E] [FILE|DIR|URL ...]
                                               (.txt .md .html .pdf .docx; text in UTF-8, GBK/GB18030 or UTF-16)
                 [--replace] [--accept] [--number N] [--effective D] [--expires D] [--superseded-by ID]
  minsheng documents list | show ID | remove [--accept] ID | supersede [--accept] ID --by ID2
                                               (ID: a name or number from documents list; seeds can only be superseded)
  minsheng eval [--questions FILE] [--json] [--answers FILE]
  minsheng serve [--http-addr ADDR] [--log-json]   (web page, HTTP API, OpenAI-compatible API, /metrics)
  minsheng llm off|on|status                   (LLM kill switch, reaches a running serve; concurrency, tokens used today)
  minsheng faq import [--replace] FILE         (curated answers from .xlsx/.csv; all rows or none)
  minsheng faq export FILE | faq list          (curated answers with their hit counts)
  minsheng unanswered [--top N] [--since DAYS] [--json]     (questions the bot could not answer, and 👎, grouped)
  minsheng unanswered export [--top N] [--since DAYS] FILE.csv|FILE.xlsx   (rows to fill in as curated answers)

Environment (defaults for flags):
  MINSHENG_DATA_DIR        index and ingested documents (default: <user cache dir>/minsheng)
  MINSHENG_REGION          default region for questions
  MINSHENG_EMBED_BASE_URL  OpenAI-compatible embeddings endpoint (optional; default: local embedder)
  MINSHENG_EMBED_MODEL     embeddings model name
  MINSHENG_EMBED_API_KEY   embeddings API key
  MINSHENG_LLM_BASE_URL, MINSHENG_LLM_MODEL, MINSHENG_LLM_API_KEY   optional chat endpoint
  MINSHENG_LLM_CONCURRENCY, MINSHENG_LLM_DAILY_TOKENS, MINSHENG_LLM_ENABLED   LLM limits (serve: SIGHUP re-reads MINSHENG_ENV_FILE)
  MINSHENG_DATABASE_URL    serve, llm: PostgreSQL shared by replicas (the LLM switch and tokens used today live there)
  MINSHENG_QUEUE_RETENTION how long the unanswered queue keeps a question (default 180d)
  MINSHENG_MAX_DOCUMENT_BYTES   largest document ingest takes, from a file or a URL (default 52428800, 50 MB)
  MINSHENG_FETCH_TIMEOUT, MINSHENG_FETCH_ALLOW_PRIVATE   ingest URL: deadline (60s); 1 lets URLs reach private addresses
  MINSHENG_PDF_CACHE_DIR   the PDF engine's compiled code (default <data dir>/cache/pdfium)
`
