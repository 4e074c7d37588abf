package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minsheng/minsheng/bot"
)

// ModelID is the one model the OpenAI-compatible endpoint offers.
const ModelID = "minsheng"

// modelCreated is a fixed "created" time for the model object, so that
// /v1/models is stable across restarts.
const modelCreated = 1764115200 // 2025-11-26

type chatRequest struct {
	Model    string        `json:"model"`
	Messages []chatMessage `json:"messages"`
	Stream   bool          `json:"stream"`
	// User is OpenAI's end-user id; it is only checked for size, since the
	// conversation comes from the messages themselves.
	User string `json:"user"`
	// Region is our extension: OpenAI has no such field.
	Region string `json:"region"`
}

type chatMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

// text is the message's text: content is a string, or (multi-part
// messages) a list of parts of which the text ones count.
func (m chatMessage) text() (string, error) {
	c := bytes.TrimSpace(m.Content)
	if len(c) == 0 || string(c) == "null" {
		return "", nil
	}
	if c[0] == '"' {
		var s string
		err := json.Unmarshal(c, &s)
		return s, err
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(c, &parts); err != nil {
		return "", fmt.Errorf("content must be a string or a list of parts: %w", err)
	}
	var texts []string
	for _, p := range parts {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, "\n"), nil
}

type chatOut struct {
	Role    string  `json:"role,omitempty"`
	Content *string `json:"content,omitempty"`
}

type chatChoice struct {
	Index        int      `json:"index"`
	Message      *chatOut `json:"message,omitempty"`
	Delta        *chatOut `json:"delta,omitempty"`
	FinishReason *string  `json:"finish_reason"`
}

type chatUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

type chatCompletion struct {
	ID      string       `json:"id"`
	Object  string       `json:"object"`
	Created int64        `json:"created"`
	Model   string       `json:"model"`
	Choices []chatChoice `json:"choices"`
	Usage   *chatUsage   `json:"usage,omitempty"`
	// Citations is our extension, for clients that want the sources as data
	// and not only as text; OpenAI clients ignore it.
	Citations []bot.Citation `json:"citations,omitempty"`
	// Confidence and Suggestions are our extensions too: the decision
	// behind the answer, and questions offered under a "none" one.
	Confidence  string   `json:"confidence,omitempty"`
	Suggestions []string `json:"suggestions,omitempty"`
}

// chatCompletions answers the last user message, OpenAI-style. Earlier
// user messages give a follow-up its context; the bot answers from the
// documents, so system prompts and earlier assistant turns cannot change
// what it says.
func (s *Server) chatCompletions(w http.ResponseWriter, r *http.Request) {
	var in chatRequest
	if e := s.readJSON(w, r, &in, false); e != nil {
		openAIError(w, e.status, e.msg)
		return
	}
	if in.Model != "" && in.Model != ModelID {
		openAIErrorCode(w, http.StatusNotFound, "model_not_found", fmt.Sprintf("没有模型 %q,可用的模型是 %q。", in.Model, ModelID))
		return
	}
	req, err := chatToRequest(in)
	if err != nil {
		openAIError(w, http.StatusBadRequest, err.Error())
		return
	}
	if msg := checkFields("", in.Region, ""); msg != "" || len(in.User) > 256 {
		openAIError(w, http.StatusBadRequest, "region 或 user 太长或不是有效文本。")
		return
	}
	if _, err := bot.CleanQuestion(req.Question); err != nil {
		s.obs.Observe(ChannelOpenAI, bot.Answer{}, err)
		openAIError(w, http.StatusBadRequest, bot.Reply(err))
		return
	}
	a := s.current()
	if a == nil {
		s.unavailable(w, openAIError)
		return
	}
	if req.Region == "" {
		req.Region = s.opt.Region
	}
	req.ID = reqID(r)
	if err := s.acquire(r.Context()); err != nil {
		s.obs.Observe(ChannelOpenAI, bot.Answer{}, err)
		failAnswer(w, openAIError, err)
		return
	}
	defer s.release()
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.AnswerTimeout)
	defer cancel()
	base := chatCompletion{ID: "chatcmpl-" + randomHex(12), Created: time.Now().Unix(), Model: ModelID}

	if !in.Stream {
		ans, err := a.AnswerStream(ctx, req, nil)
		s.obs.Observe(ChannelOpenAI, ans, err)
		if err != nil {
			s.logAnswerError(r, ChannelOpenAI, err)
			failAnswer(w, openAIError, err)
			return
		}
		s.logAnswer(r, ChannelOpenAI, ans)
		text := ans.Answer + sourceList(ans)
		out := base
		out.Object = "chat.completion"
		out.Choices = []chatChoice{{Message: &chatOut{Role: "assistant", Content: &text}, FinishReason: ptr("stop")}}
		// Tokens are not counted: there is no tokenizer behind extractive
		// answers. Zeros tell clients that honestly.
		out.Usage = &chatUsage{}
		out.Citations, out.Confidence, out.Suggestions = ans.Citations, ans.Confidence, ans.Suggestions
		writeJSON(w, http.StatusOK, out)
		return
	}

	chunk := func(delta chatOut, finish *string) chatCompletion {
		c := base
		c.Object = "chat.completion.chunk"
		c.Choices = []chatChoice{{Delta: &delta, FinishReason: finish}}
		return c
	}
	st := newEventStream(w)
	var streamed strings.Builder
	ans, err := a.AnswerStream(ctx, req, func(piece string) {
		if piece == "" {
			return
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.done {
			return
		}
		if !st.started {
			st.write("", chunk(chatOut{Role: "assistant", Content: ptr("")}, nil))
		}
		streamed.WriteString(piece)
		st.write("", chunk(chatOut{Content: &piece}, nil))
	})
	st.finish()
	s.obs.Observe(ChannelOpenAI, ans, err)
	if err != nil {
		s.logAnswerError(r, ChannelOpenAI, err)
		if !st.started {
			failAnswer(w, openAIError, err)
			return
		}
		// OpenAI's SDKs recognise an error object inside a stream.
		status, msg := answerStatus(err)
		st.send("", openAIErrorBody(status, "", msg))
		return
	}
	s.logAnswer(r, ChannelOpenAI, ans)
	if !st.started {
		st.send("", chunk(chatOut{Role: "assistant", Content: ptr("")}, nil))
	}
	rest := streamRest(streamed.String(), ans.Answer)
	if rest += sourceList(ans); rest != "" {
		st.send("", chunk(chatOut{Content: &rest}, nil))
	}
	final := chunk(chatOut{}, ptr("stop"))
	final.Citations, final.Confidence, final.Suggestions = ans.Citations, ans.Confidence, ans.Suggestions
	st.send("", final)
	st.sendRaw("[DONE]")
}

// Bounds on the history taken from a chat request: the answerer uses only
// the last few turns, and a client resending a long chat must not make
// every request carry it all.
const (
	maxHistory      = 8
	maxHistoryRunes = bot.MaxQuestionRunes
)

// chatToRequest takes the last message as the question and the earlier
// user messages, oldest first, as its history. OpenAI clients resend the
// whole chat with every request, so the history comes from the client and
// not from what this process remembers: a follow-up ("那大连呢?") keeps its
// context after a restart, on another replica or hours later, and two
// chats that open with the same question cannot share a memory. The
// conversation is therefore left empty; assistant turns are ignored, since
// the bot answers from the documents, not from what a client says it said.
func chatToRequest(in chatRequest) (bot.Request, error) {
	if len(in.Messages) == 0 {
		return bot.Request{}, fmt.Errorf(`"messages" 是空的,需要至少一条用户消息。`)
	}
	last := in.Messages[len(in.Messages)-1]
	if last.Role != "user" {
		return bot.Request{}, fmt.Errorf("最后一条消息必须是用户(user)的问题,现在是 %q。", last.Role)
	}
	q, err := last.text()
	if err != nil {
		return bot.Request{}, err
	}
	var history []string
	for i := len(in.Messages) - 2; i >= 0 && len(history) < maxHistory; i-- {
		m := in.Messages[i]
		if m.Role != "user" {
			continue
		}
		text, err := m.text()
		if err != nil {
			return bot.Request{}, err
		}
		if text = strings.TrimSpace(text); text != "" {
			history = append(history, truncateRunes(text, maxHistoryRunes))
		}
	}
	slices.Reverse(history)
	return bot.Request{Question: q, Region: in.Region, History: history}, nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// streamRest is what still has to be streamed once the final answer is
// known. The final answer is the verified one, and a stream cannot take
// back what it sent: when the final text continues what was streamed, the
// rest follows; when it differs, it follows in full once, marked as the
// checked version. When what was streamed is already the whole answer and
// the final text only puts a note in front of it (an extractive fallback
// that was streamed as it stands), nothing follows: repeating the answer
// to add the note would read as two answers.
func streamRest(streamed, final string) string {
	if rest, ok := strings.CutPrefix(final, streamed); ok {
		return rest
	}
	if shown := strings.TrimSpace(streamed); shown != "" && strings.HasSuffix(strings.TrimSpace(final), shown) {
		return ""
	}
	return "\n\n(以下是核对后的回答)\n" + final
}

// sourceList renders the citations under the answer, since a chat client
// shows only text.
func sourceList(ans bot.Answer) string {
	if len(ans.Citations) == 0 {
		return suggestionList(ans)
	}
	var b strings.Builder
	b.WriteString("\n\n来源:")
	for _, c := range ans.Citations {
		fmt.Fprintf(&b, "\n[%d] 《%s》 %s · %s", c.N, c.Title, c.Region, c.Date)
		if c.Section != "" {
			b.WriteString(" · " + c.Section)
		}
	}
	return b.String()
}

// suggestionList offers, under a "none" answer, questions the documents
// do answer.
func suggestionList(ans bot.Answer) string {
	if len(ans.Suggestions) == 0 {
		return ""
	}
	return "\n\n可以这样问:\n" + strings.Join(ans.Suggestions, "\n")
}

type modelJSON struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

var theModel = modelJSON{ID: ModelID, Object: "model", Created: modelCreated, OwnedBy: "minsheng"}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, struct {
		Object string      `json:"object"`
		Data   []modelJSON `json:"data"`
	}{"list", []modelJSON{theModel}})
}

func (s *Server) model(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != ModelID {
		openAIErrorCode(w, http.StatusNotFound, "model_not_found", fmt.Sprintf("没有模型 %q。", r.PathValue("id")))
		return
	}
	writeJSON(w, http.StatusOK, theModel)
}

type openAIErr struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func openAIErrorBody(status int, code, msg string) map[string]openAIErr {
	typ := "invalid_request_error"
	switch {
	case status == http.StatusUnauthorized:
		typ = "authentication_error"
	case status >= 500:
		typ = "server_error"
	}
	e := openAIErr{Message: msg, Type: typ}
	if code != "" {
		e.Code = &code
	}
	return map[string]openAIErr{"error": e}
}

func openAIError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, openAIErrorBody(status, "", msg))
}

func openAIErrorCode(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, openAIErrorBody(status, code, msg))
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func ptr[T any](v T) *T { return &v }
