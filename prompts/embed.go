// Package prompts holds the LLM prompt templates, embedded in the binary
// and checked when they are loaded, so that a broken template stops the
// program at start-up instead of producing a bad prompt at question time.
package prompts

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// Passage is one numbered source as the LLM sees it.
type Passage struct {
	N                                 int
	Place, Title, Date, Section, Text string
}

// Turn is an earlier question of the conversation.
type Turn struct{ Question string }

// Set is the loaded, validated templates.
type Set struct {
	system, answer, rewrite *template.Template
}

// Load parses the embedded templates and checks that each renders what the
// answering code relies on: the canary in the system prompt, every passage
// number and the question inside their fences.
func Load() (*Set, error) {
	parse := func(name string) (*template.Template, error) {
		t, err := template.New(name).Option("missingkey=error").ParseFS(files, name)
		if err != nil {
			return nil, fmt.Errorf("prompts: %s: %w", name, err)
		}
		return t, nil
	}
	var s Set
	var err error
	if s.system, err = parse("system.tmpl"); err != nil {
		return nil, err
	}
	if s.answer, err = parse("answer.tmpl"); err != nil {
		return nil, err
	}
	if s.rewrite, err = parse("rewrite.tmpl"); err != nil {
		return nil, err
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return &s, nil
}

func (s *Set) check() error {
	const canary = "CANARY-CHECK-0000"
	sys, err := s.System(canary)
	if err != nil {
		return err
	}
	if !strings.Contains(sys, canary) {
		return fmt.Errorf("prompts: system.tmpl does not place the canary")
	}
	ans, err := s.Answer("问题样例", []Passage{{N: 1, Place: "地区", Title: "标题", Date: "2023", Section: "一、", Text: "段落样例"}})
	if err != nil {
		return err
	}
	for _, want := range []string{"[1]", "段落样例", "问题样例", "<资料>", "</资料>", "<问题>", "</问题>"} {
		if !strings.Contains(ans, want) {
			return fmt.Errorf("prompts: answer.tmpl does not render %q", want)
		}
	}
	rw, err := s.Rewrite("那大连呢", []Turn{{Question: "浑南低保标准"}})
	if err != nil {
		return err
	}
	if !strings.Contains(rw, "那大连呢") || !strings.Contains(rw, "浑南低保标准") {
		return fmt.Errorf("prompts: rewrite.tmpl does not render the conversation")
	}
	return nil
}

func render(t *template.Template, data any) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("prompts: render %s: %w", t.Name(), err)
	}
	return b.String(), nil
}

// System renders the system prompt with a canary that must never appear
// in a reply.
func (s *Set) System(canary string) (string, error) {
	return render(s.system, struct{ Canary string }{canary})
}

// Answer renders the user message: fenced passages, then the fenced
// question. Fence tags inside the data are neutralised so that a passage or
// a question cannot close its fence and pose as instructions.
func (s *Set) Answer(question string, ps []Passage) (string, error) {
	safe := make([]Passage, len(ps))
	for i, p := range ps {
		p.Text, p.Title, p.Section, p.Place, p.Date = Defuse(p.Text), Defuse(p.Title), Defuse(p.Section), Defuse(p.Place), Defuse(p.Date)
		safe[i] = p
	}
	return render(s.answer, struct {
		Question string
		Passages []Passage
	}{Defuse(question), safe})
}

// Rewrite renders the prompt that turns a follow-up into a standalone
// question.
func (s *Set) Rewrite(question string, history []Turn) (string, error) {
	safe := make([]Turn, len(history))
	for i, t := range history {
		safe[i] = Turn{Question: Defuse(t.Question)}
	}
	return render(s.rewrite, struct {
		Question string
		History  []Turn
	}{Defuse(question), safe})
}

// angles are every character a fence tag could be written with, look-alikes
// included (‹/资料›, ＜/资料＞, 〈/資料〉).
var angles = strings.NewReplacer(
	"<", "「", ">", "」", "＜", "「", "＞", "」",
	"‹", "「", "›", "」", "〈", "「", "〉", "」",
	"⟨", "「", "⟩", "」", "〈", "「", "〉", "」",
)

// Defuse turns every angle bracket in data into a corner bracket, so that
// nothing in a passage or a question can open or close a fence, however
// it is spelt. Policy texts do not use angle brackets; titles use 《》,
// which are kept.
func Defuse(s string) string { return angles.Replace(s) }
