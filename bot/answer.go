// Package bot answers residents' questions from retrieved policy passages:
// it checks the question, searches, decides whether the evidence is strong
// enough, and composes a cited answer. Channels (CLI, Telegram, HTTP) are
// thin adapters around Answerer and never hold answering logic.
package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/prompts"
	"github.com/minsheng/minsheng/retrieval"
)

// Searcher finds passages for a question; *retrieval.Index is one.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error)
}

// Request is one question.
type Request struct {
	ID       string
	Question string
	// Region limits the answer to a region and the regions inside it.
	Region string
	// K is how many passages to retrieve (at least 10 are returned when
	// the index has them).
	K int
	// Conversation identifies a chat whose earlier turns give context to
	// follow-up questions ("那大连呢?"); "" means a one-off question.
	Conversation string
	// History holds the person's earlier questions, oldest first, when the
	// channel keeps the conversation itself (the OpenAI-compatible API
	// sends it with every request). It is used when the answerer remembers
	// nothing of Conversation, e.g. after a restart or on another replica.
	History []string
	// Explain asks for Answer.Judgement: how the question was read and
	// why the decision was taken, for an operator asking why a question
	// was refused (minsheng ask --explain).
	Explain bool
}

// Answer is what a person gets back, in the shape the CLI and API print.
type Answer struct {
	ID        string `json:"id"`
	Question  string `json:"question"`
	Answer    string `json:"answer"`
	Abstained bool   `json:"abstained"`
	// Confidence is the decision behind the answer: "answer" (the
	// documents cover the question), "closest" (they say something near it,
	// and the answer says what is missing), "clarify" (the answer depends on
	// a region the question does not name) or "none" (nothing relevant).
	Confidence string `json:"confidence"`
	// Suggestions are up to three questions the documents do answer,
	// offered under a "none" answer; channels show them below its line.
	Suggestions []string   `json:"suggestions,omitempty"`
	Mode        string     `json:"mode"`
	Region      string     `json:"region"`
	Citations   []Citation `json:"citations"`
	Passages    []Passage  `json:"passages"`
	// Timing says where the time went, for metrics; it is not part of the
	// JSON a person sees.
	Timing Timing `json:"-"`
	// Route says the answer took a way other than the documents:
	// RouteCrisis (the fixed crisis reply, perhaps followed by the
	// extractive answer to the rest of the message), RouteGreeting or
	// RouteThanks; "" for an answer from the documents.
	Route string `json:"route,omitempty"`
	// Fallback is why an LLM answer was replaced by the extractive one: an
	// LLM failure ("timeout", "server", "unverified" …) or a limit
	// ("busy", "budget", "disabled", "breaker_open"); "" when it was not.
	// For metrics and logs.
	Fallback string `json:"-"`
	// Judgement is filled when Request.Explain asks for it.
	Judgement *Judgement `json:"judgement,omitempty"`
}

// Judgement shows how a question was read and judged.
type Judgement struct {
	Core       string             `json:"core"`
	Searched   string             `json:"searched,omitempty"`
	Meta       []string           `json:"meta,omitempty"`
	Corrected  map[string]string  `json:"corrected,omitempty"`
	Regions    []string           `json:"regions,omitempty"`
	Foreign    []string           `json:"foreign,omitempty"`
	Terms      map[string]float64 `json:"terms,omitempty"`
	AsksFigure bool               `json:"asks_figure,omitempty"`
	Figure     string             `json:"figure_clause,omitempty"`
	FollowUp   bool               `json:"follow_up,omitempty"`
	Decision   string             `json:"decision"`
	Reason     string             `json:"reason"`
	Coverage   float64            `json:"coverage"`
	Clause     float64            `json:"clause_coverage,omitempty"`
	KeyTerm    string             `json:"key_term,omitempty"`
	Anchored   bool               `json:"anchored,omitempty"`
	FigureSeen bool               `json:"figure_found,omitempty"`
	// AnchorAt is the rank of a passage below the leading ones naming
	// KeyTerm (-1 for none); AskedYear and Horizon the year asked about
	// and the latest the passages reach; Missing the practical detail
	// asked for that no passage states.
	AnchorAt  int    `json:"anchor_at"`
	AskedYear int    `json:"asked_year,omitempty"`
	Horizon   int    `json:"horizon,omitempty"`
	Missing   string `json:"missing,omitempty"`
	// Unwritten is a noun asked about that no document writes;
	// RarestShare the share of passages holding the rarest question word
	// the best passage holds.
	Unwritten   string  `json:"unwritten,omitempty"`
	RarestShare float64 `json:"rarest_share"`
	// Compared is each region's own judgement when the question compares
	// regions ("沈阳市›浑南区: answer/covered").
	Compared []string `json:"compared,omitempty"`
}

func judgementOf(ev Evidence) *Judgement {
	rd, d := ev.Reading, ev.Decision
	j := &Judgement{Core: rd.Core, Meta: rd.Meta, Corrected: rd.Corrected, Foreign: rd.Foreign,
		AsksFigure: rd.AsksFigure, Figure: rd.FigureClause, FollowUp: rd.FollowUp,
		Decision: d.Kind.String(), Reason: string(d.Reason), Coverage: d.Coverage, Clause: d.ClauseCoverage,
		KeyTerm: d.KeyTerm, Anchored: d.Anchored, FigureSeen: d.FigureFound,
		AnchorAt: d.AnchorAt, AskedYear: d.AskedYear, Horizon: d.Horizon, Missing: d.Missing,
		Unwritten: d.Unwritten, RarestShare: d.RarestShare}
	if rd.Searched != rd.Core {
		j.Searched = rd.Searched
	}
	for _, r := range rd.Regions {
		j.Regions = append(j.Regions, strings.Join(r, "›"))
	}
	if len(rd.Terms) > 0 {
		j.Terms = map[string]float64{}
		for _, t := range rd.Terms {
			j.Terms[t.Text] = t.Weight
		}
	}
	for _, r := range ev.Regions {
		j.Compared = append(j.Compared, fmt.Sprintf("%s: %s/%s (key %s, coverage %.2f)",
			strings.Join(r.Region, "›"), r.Decision.Kind, r.Decision.Reason, r.Decision.KeyTerm, r.Decision.Coverage))
	}
	return j
}

// Timing splits the time of one answer.
type Timing struct {
	Retrieval, LLM, Total time.Duration
}

// Citation is a numbered source the answer rests on.
type Citation struct {
	N       int    `json:"n"`
	Source  string `json:"source"`
	Title   string `json:"title"`
	Region  string `json:"region"`
	Date    string `json:"date"`
	Section string `json:"section"`
	Quote   string `json:"quote"`
}

// Passage is a retrieved passage, best first.
type Passage struct {
	Source  string  `json:"source"`
	Title   string  `json:"title"`
	Section string  `json:"section"`
	Text    string  `json:"text"`
	Score   float64 `json:"score"`
}

// Modes of an answer.
const (
	ModeExtractive = "extractive"
	ModeLLM        = "llm"
)

// Confidences of an answer.
const (
	ConfidenceAnswer  = "answer"
	ConfidenceClosest = "closest"
	ConfidenceClarify = "clarify"
	ConfidenceNone    = "none"
)

// Options tune the answerer.
type Options struct {
	// Policy holds the thresholds and weights of reading and judging; the
	// zero value means judge.DefaultPolicy().
	Policy *judge.Policy
	// Reader reads questions; nil builds one over the Searcher, which must
	// then be a judge.Corpus (as *retrieval.Index is).
	Reader *judge.Reader
	// MaxSentences bounds an extractive answer.
	MaxSentences int
	// Now gives today's date, to say how old a document is.
	Now func() time.Time
	// Documents lists what the index holds, for messages about coverage.
	Documents []retrieval.DocumentInfo
	// LLM writes fluent answers when set; nil means extractive answers only.
	LLM ChatModel
	// LLMTimeout bounds everything the LLM does for one answer, retries and
	// regeneration included (default 30 s).
	LLMTimeout time.Duration
	// Prompts are the validated templates (default: the embedded ones).
	Prompts *prompts.Set
	// LLMPassages is how many passages the LLM sees (default 5).
	LLMPassages int
	// BreakerThreshold failures in a row open the circuit breaker for
	// BreakerCooldown (defaults 3 and 60 s).
	BreakerThreshold int
	BreakerCooldown  time.Duration
	// OnLLMError, when set, hears of every failed LLM call (answer or
	// follow-up rewrite) with a short reason, for metrics.
	OnLLMError func(reason string)
	// Limits bound the LLM (switch, concurrency, daily tokens); they can be
	// changed later with SetLLMLimits.
	Limits LLMLimits
	// Budget counts the LLM's tokens for Limits.DailyTokens; nil counts
	// them in memory, in Beijing days.
	Budget *TokenBudget
	// AllowedLinks are hosts (a subdomain of one is allowed too) and phone
	// numbers an answer may show besides the hosts of the documents'
	// source URLs and 12345, 12356, 110 and 120; any other link, number or
	// e-mail address is removed from what a resident reads.
	AllowedLinks []string
	// OnRoute, when set, hears of every answer that took a route other
	// than the documents (RouteCrisis, RouteGreeting, RouteThanks), for
	// metrics: a crisis is counted, never logged with its text.
	OnRoute func(kind string)
	// OnStripped, when set, hears of each class of invisible characters
	// (StripZeroWidth, StripBidi, StripTag) stripped from a question, once
	// per question, for metrics.
	OnStripped func(class string)
	// Curated holds the answers community workers wrote, given before any
	// search (see curated.go); nil means none.
	Curated CuratedSource
	// OnUnanswered, when set, hears of every abstention and "closest"
	// answer from the documents (see Unanswered), for the queue staff
	// work from; (*Queue).RecordAnswer is one. It runs before the answer
	// is returned, so it must be quick.
	OnUnanswered func(req Request, ans Answer)
	// Turns keeps conversations for follow-ups; nil keeps them in this
	// process's memory.
	Turns TurnStore
}

// Answerer answers questions from a Searcher.
type Answerer struct {
	search  Searcher
	reader  *judge.Reader
	opt     Options
	convs   TurnStore
	breaker *breaker
	canary  string

	gate     *llmGate
	budget   *TokenBudget
	limitsMu sync.Mutex
	limits   LLMLimits
	guard    *guard

	curated curatedCache
}

// NewAnswerer returns an answerer over s. It fails only when no reader is
// given and s cannot be read from (it is no judge.Corpus).
func NewAnswerer(s Searcher, opt Options) *Answerer {
	if opt.MaxSentences <= 0 {
		opt.MaxSentences = 2
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.LLMTimeout <= 0 {
		opt.LLMTimeout = 30 * time.Second
	}
	if opt.LLMPassages <= 0 {
		opt.LLMPassages = 5
	}
	if opt.BreakerThreshold <= 0 {
		opt.BreakerThreshold = 3
	}
	if opt.BreakerCooldown <= 0 {
		opt.BreakerCooldown = time.Minute
	}
	if opt.Budget == nil {
		opt.Budget, _ = OpenTokenBudget("", nil, nil) // in memory: cannot fail
	}
	if opt.LLM != nil {
		if _, ok := opt.LLM.(meteredModel); !ok {
			opt.LLM = meteredModel{ChatModel: opt.LLM, budget: opt.Budget}
		}
	}
	if opt.LLM != nil && opt.Prompts == nil {
		set, err := prompts.Load()
		if err != nil {
			// The templates are embedded and tested; this is a build defect.
			panic(err)
		}
		opt.Prompts = set
	}
	rd := opt.Reader
	if rd == nil {
		c, ok := s.(judge.Corpus)
		if !ok {
			panic("bot: NewAnswerer needs Options.Reader when the searcher is no judge.Corpus")
		}
		policy := judge.DefaultPolicy()
		if opt.Policy != nil {
			policy = *opt.Policy
		}
		var err error
		rd, err = NewReader(c, policy, opt.Now)
		if err != nil {
			panic(err) // embedded gazetteer; covered by tests
		}
	} else if opt.Policy != nil {
		rd = rd.WithPolicy(*opt.Policy)
	}
	canary, sys := newCanary(), ""
	if opt.Prompts != nil {
		var err error
		if sys, err = opt.Prompts.System(canary); err != nil {
			panic(err) // a loaded set renders its system prompt; checked by prompts.Load
		}
	}
	var convs TurnStore = opt.Turns
	if convs == nil {
		convs = newConversations(opt.Now)
	}
	a := &Answerer{search: s, reader: rd, opt: opt, convs: convs,
		breaker: &breaker{threshold: opt.BreakerThreshold, cooldown: opt.BreakerCooldown, now: opt.Now},
		canary:  canary, guard: newGuard(canary, sys, opt.Documents, opt.AllowedLinks),
		gate: newLLMGate(DefaultLLMConcurrency), budget: opt.Budget}
	a.SetLLMLimits(opt.Limits)
	return a
}

// WithPolicy returns an answerer like a that judges with p and remembers
// no conversations: for sweeping a policy field in an evaluation.
func (a *Answerer) WithPolicy(p judge.Policy) *Answerer {
	opt := a.opt
	opt.Reader = a.reader.WithPolicy(p)
	opt.Policy = nil
	return NewAnswerer(a.search, opt)
}

// Policy is the policy the answerer judges with.
func (a *Answerer) Policy() judge.Policy { return a.reader.Policy() }

// ResolveRegion finds the region paths a name stands for, as a resident's
// chosen region is resolved (浑南区 → 辽宁省 › 沈阳市 › 浑南区).
func (a *Answerer) ResolveRegion(name string) ([][]string, error) {
	return a.reader.ResolveRegion(name)
}

// NewReader builds a question reader over a corpus with the embedded
// gazetteer.
func NewReader(c judge.Corpus, p judge.Policy, now func() time.Time) (*judge.Reader, error) {
	g, err := judge.LoadGazetteer()
	if err != nil {
		return nil, err
	}
	return judge.NewReader(c, p, g, now)
}

func newCanary() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "MS-CANARY-7f3a9c"
	}
	return "MS-" + hex.EncodeToString(b)
}

// Forget drops what the answerer remembers of a conversation.
func (a *Answerer) Forget(conversation string) { a.convs.Forget(conversation) }

// Evidence is what reading, retrieval and judging made of a question,
// before any wording.
type Evidence struct {
	Question string
	Reading  judge.Reading
	Result   retrieval.Result
	Decision judge.Decision
	// Regions, for a question comparing regions or one naming none whose
	// answer differs by region, hold each region's own evidence.
	Regions []RegionEvidence
	// Clarify: the answer differs across more regions than an answer
	// lists, and the person is asked which they mean.
	Clarify bool
}

// maxRegionLines is how many regions an answer lists when the question
// names none and the documents differ by region; with more it asks which.
const maxRegionLines = 3

// byRegion splits the leading hits of a question that names no region by
// the region of their document, keeping the regions whose own passages
// answer it. With two or three, the answer gives each its line; with more
// the person is asked which region they mean.
func (a *Answerer) byRegion(rd judge.Reading, hits []retrieval.Hit, history bool) ([]RegionEvidence, bool) {
	var order []string
	groups := map[string][]retrieval.Hit{}
	paths := map[string][]string{}
	for i, h := range hits {
		if i >= regionDepth || h.Score < hits[0].Score*regionShare {
			break
		}
		k := retrieval.RegionName(h.Region)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
			paths[k] = h.Region
		}
		groups[k] = append(groups[k], h)
	}
	var out []RegionEvidence
	for _, k := range order {
		d := a.reader.Judge(rd, groups[k], history)
		if d.Kind != judge.Answer || (rd.AsksFigure && !d.FigureFound) {
			continue
		}
		out = append(out, RegionEvidence{Region: paths[k], Result: retrieval.Result{Hits: groups[k]}, Decision: d})
	}
	switch {
	case len(out) < 2:
		return nil, false
	case len(out) > maxRegionLines:
		return nil, true
	}
	return out, false
}

// How far down the hits of a question naming no region a region's passage
// may sit, and how close to the best it must score, to count as one that
// answers it too.
const (
	regionDepth = 6
	regionShare = 0.75
)

// RegionEvidence is one side of a comparison.
type RegionEvidence struct {
	Region   []string
	Result   retrieval.Result
	Decision judge.Decision
}

// Covered reports whether the documents say something to the question.
func (ev Evidence) Covered() bool { return ev.Decision.Kind != judge.None }

// retrieve reads, searches and judges.
func (a *Answerer) retrieve(ctx context.Context, q string, req judge.Request, k int, history bool) (Evidence, error) {
	rd, err := a.reader.Read(q, req)
	if errors.Is(err, retrieval.ErrUnknownRegion) {
		return Evidence{}, &Error{Kind: KindBadInput, Message: fmt.Sprintf(unknownRegion, a.regionNames()), Err: err}
	}
	if err != nil {
		return Evidence{}, fmt.Errorf("read question: %w", err)
	}
	ev := Evidence{Question: q, Reading: rd}
	compared := rd.Regions
	if !rd.Compares {
		compared = separateRegions(rd.Regions)
	}
	if len(compared) >= 2 && rd.RegionFrom == "question" {
		for _, r := range compared {
			sub := rd
			sub.Regions = [][]string{r}
			res, err := a.search.Search(ctx, sub.Query(k))
			if err != nil {
				return Evidence{}, fmt.Errorf("search: %w", err)
			}
			res.Hits = ownFirst(res.Hits, r)
			ev.Regions = append(ev.Regions, RegionEvidence{Region: r, Result: res, Decision: a.reader.Judge(sub, res.Hits, history)})
		}
	}
	res, err := a.find(ctx, rd, k)
	if err != nil {
		return Evidence{}, err
	}
	ev.Result = res
	ev.Decision = a.reader.Judge(rd, res.Hits, history)
	if ev.Decision.Kind == judge.None && ev.Decision.Reason == judge.Weak && len(ev.Regions) == 0 {
		// A long account found too little: what it asks alone may find more.
		if sub, ok := a.reader.Focused(rd); ok {
			fres, err := a.find(ctx, sub, k)
			if err != nil {
				return Evidence{}, err
			}
			// Only where a passage found names the thing it asks about: the
			// account may hold what made the whole unanswerable (打预防针).
			if d := a.reader.Judge(sub, fres.Hits, history); d.Kind != judge.None && d.Anchored {
				ev.Reading, ev.Result, ev.Decision, rd, res = sub, fres, d, sub, fres
			}
		}
	}
	if len(ev.Regions) == 0 && len(rd.Regions) == 0 && ev.Decision.Kind == judge.Answer && (rd.AsksFigure || rd.OwnArea) {
		ev.Regions, ev.Clarify = a.byRegion(rd, res.Hits, history)
	}
	if len(ev.Regions) > 0 {
		// A comparison stands when any side is covered.
		for _, r := range ev.Regions {
			if r.Decision.Kind < ev.Decision.Kind {
				ev.Decision.Kind, ev.Decision.Reason = r.Decision.Kind, r.Decision.Reason
			}
		}
	}
	return ev, nil
}

// find searches for what rd reads, the asked region's own documents and
// the kind of document pointed at put ahead.
func (a *Answerer) find(ctx context.Context, rd judge.Reading, k int) (retrieval.Result, error) {
	res, err := a.search.Search(ctx, rd.Query(k))
	if err != nil {
		return retrieval.Result{}, fmt.Errorf("search: %w", err)
	}
	if len(rd.Regions) == 1 {
		res.Hits = ownAhead(res.Hits, rd.Regions[0])
	}
	if rd.DocKind != "" {
		res.Hits = kindAhead(res.Hits, rd.DocKind)
	}
	return res, nil
}

// separateRegions keeps the regions none of which lies inside another: a
// question naming 沈阳 and 浑南 asks about one place, one naming 浑南 and
// 大连 compares two.
func separateRegions(rs [][]string) [][]string {
	var out [][]string
	for i, r := range rs {
		nested := false
		for j, o := range rs {
			if i != j && (retrieval.Within(r, o) || retrieval.Within(o, r)) {
				nested = true
			}
		}
		if !nested {
			out = append(out, r)
		}
	}
	return out
}

// kindAheadShare is how close to the best passage one of the kind of
// document the question points at must score to be put ahead.
const kindAheadShare = 0.6

// kindAhead puts the passages of the kind of document the question points
// at ("沈阳政府工作报告里说…") that score well enough ahead of the rest.
func kindAhead(hits []retrieval.Hit, kind string) []retrieval.Hit {
	return ahead(hits, kindAheadShare, func(h retrieval.Hit) bool { return h.Kind == kind })
}

// ownAheadShare is how close to the best passage one of the asked
// region's own documents must score to be put ahead of the passages of
// the regions inside it.
const ownAheadShare = 0.8

// ownAhead puts the passages of region r's own documents that score
// nearly as well as the best ahead of those of the regions inside r: a
// question about 沈阳 is answered from 沈阳's own report where it speaks
// to the question, and from 浑南区's document, labelled, where it alone
// does.
func ownAhead(hits []retrieval.Hit, r []string) []retrieval.Hit {
	name := retrieval.RegionName(r)
	return ahead(hits, ownAheadShare, func(h retrieval.Hit) bool { return retrieval.RegionName(h.Region) == name })
}

// ahead moves the hits that keep accepts and that score at least share of
// the best before the others, each part in its order.
func ahead(hits []retrieval.Hit, share float64, keep func(retrieval.Hit) bool) []retrieval.Hit {
	if len(hits) == 0 {
		return hits
	}
	best := 0.0
	for _, h := range hits {
		best = max(best, h.Score)
	}
	var first, rest []retrieval.Hit
	for _, h := range hits {
		if keep(h) && h.Score >= best*share {
			first = append(first, h)
		} else {
			rest = append(rest, h)
		}
	}
	if len(first) == 0 {
		return hits
	}
	return append(first, rest...)
}

// ownFirst moves passages of region r's own documents before those of the
// regions above or inside it, keeping their order otherwise: one side of
// a comparison is answered from its own document.
func ownFirst(hits []retrieval.Hit, r []string) []retrieval.Hit {
	own, other := splitOwn(hits, r)
	return append(own, other...)
}

// splitOwn splits hits into those of region r's own documents and the
// rest, each in its order.
func splitOwn(hits []retrieval.Hit, r []string) (own, other []retrieval.Hit) {
	name := retrieval.RegionName(r)
	for _, h := range hits {
		if retrieval.RegionName(h.Region) == name {
			own = append(own, h)
		} else {
			other = append(other, h)
		}
	}
	return own, other
}

func (a *Answerer) regionNames() string {
	var names []string
	for _, r := range a.Regions() {
		names = append(names, r[len(r)-1])
	}
	return strings.Join(names, "、")
}

// Answer answers one question.
func (a *Answerer) Answer(ctx context.Context, req Request) (Answer, error) {
	return a.AnswerStream(ctx, req, nil)
}

// AnswerStream answers one question, calling onDelta with pieces of text
// as they are produced so that a channel can show the answer growing. The
// returned Answer is the final, verified one: a channel must replace what
// it showed with Answer.Answer. Pieces from an LLM are passed on sentence
// by sentence and only once each sentence verifies; an extractive answer
// arrives as one piece. onDelta may be nil.
func (a *Answerer) AnswerStream(ctx context.Context, req Request, onDelta func(string)) (Answer, error) {
	start := time.Now()
	q, stripped, err := cleanQuestion(req.Question)
	if a.opt.OnStripped != nil {
		for _, c := range stripped {
			a.opt.OnStripped(c)
		}
	}
	if err != nil {
		return Answer{}, err
	}
	if rest, ok := crisisSplit(q); ok {
		ans := a.crisisAnswer(ctx, req, q, rest)
		return a.finish(ans, Timing{Retrieval: time.Since(start)}, start, onDelta), nil
	}
	if records, errand := refusesRecords(q), asksErrand(q); records || errand {
		// A records look-up is named as such first, in either language.
		line, reason := recordsRefuse, "records"
		switch {
		case records && judge.IsEnglish(q):
			line = recordsRefuseEnglish
		case records:
		case judge.IsEnglish(q):
			line, reason = errandRefuseEnglish, "errand"
		default:
			line, reason = errandRefuse, "errand"
		}
		ans := Answer{ID: req.ID, Question: q, Answer: line, Abstained: true, Confidence: ConfidenceNone,
			Mode: ModeExtractive, Citations: []Citation{}, Passages: []Passage{}}
		if req.Explain {
			ans.Judgement = &Judgement{Core: q, Decision: judge.None.String(), Reason: reason, AnchorAt: -1}
		}
		if onDelta != nil {
			onDelta(ans.Answer)
		}
		ans.Timing.Total = time.Since(start)
		return ans, nil
	}
	if ans, ok := a.curatedAnswer(ctx, req, q, start, onDelta); ok {
		return ans, nil
	}
	searched := withoutPersonalClauses(q)
	jreq := judge.Request{Region: req.Region}
	var timing Timing
	// One budget for everything the LLM does for this answer: the follow-up
	// rewrite and the answer itself.
	llmCtx, cancelLLM := context.WithTimeout(ctx, a.opt.LLMTimeout)
	defer cancelLLM()
	topic := searched // what a later follow-up carries over
	hist := a.convs.History(req.Conversation)
	if len(hist) == 0 {
		hist = a.historyTurns(req.History)
	}
	if len(hist) > 0 {
		last := hist[len(hist)-1]
		if last.Region != "" {
			jreq.Conversation = strings.Split(last.Region, "›")
		}
		llmStart := time.Now()
		if standalone, ok := a.rewrite(llmCtx, q, hist); ok {
			searched, topic = standalone, standalone
		} else if a.needsContext(q, last.Query) {
			// Carry the previous topic, not the whole chain of them.
			jreq.Context, topic = last.Query, last.Query
		}
		timing.LLM += time.Since(llmStart)
	}
	ev, err := a.retrieve(ctx, searched, jreq, max(req.K, 10), len(hist) > 0)
	if err != nil {
		return Answer{}, err
	}
	ev.Question = q
	timing.Retrieval = time.Since(start) - timing.LLM
	a.convs.Add(req.Conversation, Turn{Question: q, Query: truncateRunes(topic, maxTopicRunes), Region: singleRegion(ev.Reading.Regions)})

	var ans Answer
	switch {
	case ev.Decision.Kind != judge.Answer || len(ev.Regions) > 0 || a.opt.LLM == nil:
		ans = a.Extractive(req, ev)
	default:
		release, reason, err := a.llmSlot(llmCtx)
		if err != nil {
			return Answer{}, err // the asker went away
		}
		if reason != "" {
			ans = a.fallback(req, ev, reason)
			break
		}
		defer release()
		llmStart := time.Now()
		var lerr error
		shown := false
		ans, lerr = a.llmAnswer(llmCtx, req, ev, func(d string) {
			shown = true
			if onDelta != nil {
				onDelta(d)
			}
		})
		timing.LLM += time.Since(llmStart)
		if lerr != nil {
			if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return Answer{}, ctx.Err() // the asker went away
			}
			a.llmFailed(lerr)
			ans = a.fallback(req, ev, ReasonOf(lerr))
			if shown {
				// Verified sentences were shown; the final answer replaces
				// them, and adding the fallback as more text would only
				// repeat it.
				onDelta = nil
			}
		} else {
			a.breaker.record(true)
		}
	}
	if req.Explain {
		ans.Judgement = judgementOf(ev)
	}
	a.noteUnanswered(req, ans)
	return a.finish(ans, timing, start, onDelta), nil
}

// finish scrubs the quotes an answer carries, passes an extractive answer
// on as one piece (an LLM's was streamed sentence by sentence), counts a
// route and stamps the timing.
func (a *Answerer) finish(ans Answer, timing Timing, start time.Time, onDelta func(string)) Answer {
	a.guard.scrubQuotes(&ans)
	if onDelta != nil && ans.Mode == ModeExtractive {
		onDelta(ans.Answer)
	}
	if ans.Route != "" && a.opt.OnRoute != nil {
		a.opt.OnRoute(ans.Route)
	}
	timing.Total = time.Since(start)
	ans.Timing = timing
	return ans
}

// noteUnanswered hands an abstention or a "closest" answer to
// Options.OnUnanswered; a routed message (a crisis reply) never.
func (a *Answerer) noteUnanswered(req Request, ans Answer) {
	if a.opt.OnUnanswered != nil && Unanswered(ans) {
		a.opt.OnUnanswered(req, ans)
	}
}

// needsContext reports whether a question leans on the conversation,
// whose last topic was earlier.
func (a *Answerer) needsContext(q, earlier string) bool {
	rd, err := a.reader.Read(q, judge.Request{})
	return err == nil && rd.NeedsContextAfter(earlier)
}

// maxTopicRunes bounds what a conversation carries from one turn to the
// next, so a long chat cannot grow its queries without limit.
const maxTopicRunes = 120

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// historyTurns turns a channel's list of earlier questions into turns; the
// most recent few are enough. Each keeps the region its question named, as
// a turn the answerer remembered would: "哪些服务要收钱?" after a question
// about 沙河口区 is about 沙河口区.
func (a *Answerer) historyTurns(qs []string) []Turn {
	var out []Turn
	for _, q := range qs {
		q, err := CleanQuestion(q)
		if err != nil || refusesRecords(q) || isCrisis(q) {
			continue // nothing to carry over, and a crisis is not a topic
		}
		t := Turn{Question: q, Query: truncateRunes(withoutPersonalClauses(q), maxTopicRunes)}
		rd, err := a.reader.Read(q, judge.Request{})
		switch {
		case err == nil && rd.RegionFrom == "question":
			t.Region = singleRegion(rd.Regions)
		case err == nil && len(rd.Foreign) == 0 && len(out) > 0:
			// a turn naming no place stays where the conversation was, as
			// a live conversation does ("襄阳有调解机构吗" → "医疗纠纷能调解吗")
			t.Region = out[len(out)-1].Region
		}
		out = append(out, t)
	}
	if len(out) > 4 {
		out = out[len(out)-4:]
	}
	return out
}

// llmFailed counts a failed LLM call for the breaker and the metrics.
func (a *Answerer) llmFailed(err error) {
	a.breaker.record(!endpointFailure(err))
	if a.opt.OnLLMError != nil {
		a.opt.OnLLMError(ReasonOf(err))
	}
}

// singleRegion is the region to remember for a conversation: the one the
// answer was about, or none when it spanned several.
func singleRegion(paths [][]string) string {
	if len(paths) != 1 || len(paths[0]) == 0 {
		return ""
	}
	return strings.Join(paths[0], "›")
}

func (a *Answerer) fallback(req Request, ev Evidence, reason string) Answer {
	ans := a.Extractive(req, ev)
	if !ans.Abstained {
		switch reason {
		case FallbackBusy:
			ans.Answer = busyNote + ans.Answer
		case FallbackBudget:
			ans.Answer = budgetNote + ans.Answer
		default:
			ans.Answer = fallbackNote + ans.Answer
		}
	}
	ans.Fallback = reason
	return ans
}

// Documents lists the documents answers can come from.
func (a *Answerer) Documents() []retrieval.DocumentInfo { return a.opt.Documents }

// Regions lists the distinct regions of the documents, outermost level
// first, e.g. [辽宁省 沈阳市 浑南区].
func (a *Answerer) Regions() [][]string {
	var out [][]string
	seen := map[string]bool{}
	for _, d := range a.opt.Documents {
		if k := retrieval.RegionName(d.Region); !seen[k] {
			seen[k] = true
			out = append(out, d.Region)
		}
	}
	return out
}

func passagesOf(hits []retrieval.Hit) []Passage {
	out := make([]Passage, 0, len(hits))
	for _, h := range hits {
		// Four decimals are all a score means; more only print noise.
		out = append(out, Passage{Source: h.Source, Title: h.Title, Section: h.Section, Text: h.Text, Score: math.Round(h.Score*1e4) / 1e4})
	}
	return out
}

// placeOf names a region the way a sentence does: 沈阳市浑南区.
func placeOf(path []string) string {
	if len(path) > 1 {
		return strings.Join(path[1:], "")
	}
	return strings.Join(path, "")
}

func regionLabel(paths [][]string) string {
	var names []string
	for _, p := range paths {
		names = append(names, retrieval.RegionName(p))
	}
	return strings.Join(names, "; ")
}
