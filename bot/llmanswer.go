package bot

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minsheng/minsheng/prompts"
	"github.com/minsheng/minsheng/retrieval"
)

// endpointFailure reports whether err says the endpoint is unwell (as
// opposed to one reply failing verification), which is what the circuit
// breaker counts.
func endpointFailure(err error) bool {
	switch ReasonOf(err) {
	case "timeout", "connection", "server", "rate_limit", "malformed", "empty", "auth":
		return true
	}
	return false
}

// llmAnswer asks the LLM to answer from the leading passages and verifies
// the reply; a reply that fails verification is regenerated once.
// ctx carries the answer's LLM budget.
func (a *Answerer) llmAnswer(ctx context.Context, req Request, ev Evidence, onDelta func(string)) (Answer, error) {
	hits := ev.Result.Hits
	if len(hits) > a.opt.LLMPassages {
		hits = hits[:a.opt.LLMPassages]
	}
	srcs := newSources(hits)
	ps := make([]prompts.Passage, len(hits))
	for i, h := range hits {
		ps[i] = prompts.Passage{N: i + 1, Place: placeOf(h.Region), Title: h.Title, Date: h.Date, Section: h.Section, Text: h.Text}
	}
	sys, err := a.opt.Prompts.System(a.canary)
	if err != nil {
		return Answer{}, llmErr("prompt", err)
	}
	g := a.guard
	user, err := a.opt.Prompts.Answer(Mask(a.llmQuestion(ev)), ps)
	if err != nil {
		return Answer{}, llmErr("prompt", err)
	}
	msgs := []ChatMessage{{Role: "system", Content: sys}, {Role: "user", Content: user}}
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		sv := &streamVerifier{srcs: srcs, guard: g, out: onDelta}
		if attempt > 0 {
			sv.out = nil // what the first attempt showed stays until the final answer replaces it
		}
		text, err := a.opt.LLM.Chat(ctx, msgs, sv.feed)
		if err != nil {
			return Answer{}, err
		}
		v, verr := verify(text, srcs, g)
		if verr == nil {
			return a.llmResult(req, ev, v), nil
		}
		if errors.Is(verr, errLeak) {
			return Answer{}, llmErr("leak", verr) // a model that leaks once is not asked again
		}
		lastErr = llmErr("unverified", verr)
		msgs = append(msgs,
			ChatMessage{Role: "assistant", Content: "(上一次回答未通过核验,已丢弃)"},
			ChatMessage{Role: "user", Content: "上一次回答没有通过核验:" + verifyReason(verr) + "请严格只使用资料中的内容和数字重新回答,每句后标注资料编号[n]。"})
	}
	return Answer{}, lastErr
}

func verifyReason(err error) string {
	switch {
	case errors.Is(err, errNoCitation):
		return "没有标注有效的资料编号。"
	case errors.Is(err, errUnsupported):
		return "出现了资料中没有的数字。"
	}
	return "内容不符合要求。"
}

func (a *Answerer) llmResult(req Request, ev Evidence, v verified) Answer {
	ans := Answer{ID: req.ID, Question: ev.Question, Mode: ModeLLM, Answer: v.text,
		Region: regionLabel(ev.Reading.Regions), Passages: passagesOf(ev.Result.Hits), Citations: []Citation{},
		Confidence: ConfidenceAnswer}
	var notes []string
	if ev.Decision.Partial {
		ans.Answer = partialNote + ans.Answer
	}
	seenDoc := map[string]bool{}
	for i, s := range v.sources {
		h := s.hit
		ans.Citations = append(ans.Citations, Citation{N: i + 1, Source: h.Source, Title: h.Title,
			Region: retrieval.RegionName(h.Region), Date: h.Date, Section: h.Section, Quote: h.Text})
		if !seenDoc[h.Source] {
			seenDoc[h.Source] = true
			if n := a.attribution(h, ev.Reading, []string{h.Text}); n != "" {
				notes = append(notes, "来源"+n)
			}
		}
	}
	if len(notes) > 0 {
		ans.Answer += "\n" + strings.Join(notes, "")
	}
	return a.script(ev, ans)
}

// rewrite turns a follow-up into a standalone question with the LLM. It
// reports false when there is no LLM, it is off, busy or over budget, the
// breaker is open, or the reply is unusable; the caller then carries the
// topic over itself.
func (a *Answerer) rewrite(ctx context.Context, q string, hist []Turn) (string, bool) {
	if a.opt.LLM == nil {
		return "", false
	}
	release, reason, err := a.llmSlot(ctx)
	if err != nil || reason != "" {
		return "", false
	}
	defer release()
	// The rewrite may use a third of the budget, so the answer keeps most.
	ctx, cancel := context.WithTimeout(ctx, min(a.opt.LLMTimeout/3, 8*time.Second))
	defer cancel()
	var turns []prompts.Turn
	for _, t := range hist {
		turns = append(turns, prompts.Turn{Question: Mask(t.Question)})
	}
	p, err := a.opt.Prompts.Rewrite(Mask(q), turns)
	if err != nil {
		return "", false
	}
	out, err := a.opt.LLM.Chat(ctx, []ChatMessage{{Role: "user", Content: p}}, nil)
	if err != nil {
		a.llmFailed(err)
		return "", false
	}
	a.breaker.record(true)
	out = strings.TrimSpace(strings.Trim(strings.TrimSpace(out), "\"“”「」"))
	if out == "" || strings.Contains(out, "\n") || utf8.RuneCountInString(out) > 200 || strings.Contains(out, a.canary) {
		return "", false
	}
	return out, true
}

// llmQuestion is the question as the LLM gets it: as read, without the
// asker's greetings and framing, with the place and date it is about.
func (a *Answerer) llmQuestion(ev Evidence) string {
	rd := ev.Reading
	q := ev.Question
	if len(rd.Meta) > 0 {
		q = rd.Core
		for _, p := range rd.Places {
			q = p.Mention + " " + q
		}
	}
	var ctx []string
	if len(rd.Regions) > 0 {
		var names []string
		for _, r := range rd.Regions {
			names = append(names, placeOf(r))
		}
		ctx = append(ctx, "地区:"+strings.Join(names, "、"))
	}
	if len(ctx) == 0 {
		return strings.TrimSpace(q)
	}
	return strings.TrimSpace(q) + "\n(" + strings.Join(ctx, ";") + ")"
}
