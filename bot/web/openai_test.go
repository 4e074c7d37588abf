package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
)

// client is the real go-openai client pointed at the test server.
func client(url, token string) *openai.Client {
	cfg := openai.DefaultConfig(token)
	cfg.BaseURL = url + "/v1"
	return openai.NewClientWithConfig(cfg)
}

func TestOpenAIClient(t *testing.T) {
	const token = "k-123"
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), APIToken: token}))
	c := client(srv.URL, token)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := openai.ChatCompletionRequest{
		Model: web.ModelID,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "You are a helpful assistant."},
			{Role: openai.ChatMessageRoleUser, Content: dibaoQuestion},
		},
	}

	t.Run("plain", func(t *testing.T) {
		resp, err := c.CreateChatCompletion(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Object != "chat.completion" || resp.Model != web.ModelID || !strings.HasPrefix(resp.ID, "chatcmpl-") {
			t.Errorf("envelope %+v", resp)
		}
		if len(resp.Choices) != 1 {
			t.Fatalf("%d choices", len(resp.Choices))
		}
		ch := resp.Choices[0]
		if ch.FinishReason != openai.FinishReasonStop || ch.Message.Role != openai.ChatMessageRoleAssistant {
			t.Errorf("choice %+v", ch)
		}
		checkChatText(t, ch.Message.Content)
	})

	t.Run("stream", func(t *testing.T) {
		sreq := req
		sreq.Stream = true
		stream, err := c.CreateChatCompletionStream(ctx, sreq)
		if err != nil {
			t.Fatal(err)
		}
		defer stream.Close()
		var text strings.Builder
		var chunks []openai.ChatCompletionStreamResponse
		for {
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			chunks = append(chunks, chunk)
			for _, ch := range chunk.Choices {
				text.WriteString(ch.Delta.Content)
			}
		}
		if len(chunks) < 3 {
			t.Fatalf("%d chunks, want role, content…, stop", len(chunks))
		}
		first, last := chunks[0], chunks[len(chunks)-1]
		if first.Object != "chat.completion.chunk" || len(first.Choices) != 1 || first.Choices[0].Delta.Role != openai.ChatMessageRoleAssistant {
			t.Errorf("first chunk %+v, want the role", first)
		}
		if len(last.Choices) != 1 || last.Choices[0].FinishReason != openai.FinishReasonStop {
			t.Errorf("last chunk %+v, want finish_reason stop", last)
		}
		for _, ch := range chunks[:len(chunks)-1] {
			if len(ch.Choices) > 0 && ch.Choices[0].FinishReason != "" {
				t.Errorf("finish_reason before the last chunk: %+v", ch)
			}
			if ch.ID != first.ID {
				t.Errorf("chunk id %q differs from %q", ch.ID, first.ID)
			}
		}
		checkChatText(t, text.String())
	})

	t.Run("models", func(t *testing.T) {
		list, err := c.ListModels(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Models) != 1 || list.Models[0].ID != web.ModelID {
			t.Errorf("models %+v", list.Models)
		}
		m, err := c.GetModel(ctx, web.ModelID)
		if err != nil || m.ID != web.ModelID {
			t.Errorf("GetModel: %+v %v", m, err)
		}
	})

	t.Run("errors are API errors", func(t *testing.T) {
		tests := []struct {
			name   string
			client *openai.Client
			req    openai.ChatCompletionRequest
			status int
		}{
			{"wrong token", client(srv.URL, "wrong"), req, 401},
			{"unknown model", c, openai.ChatCompletionRequest{Model: "gpt-4o", Messages: req.Messages}, 404},
			{"empty question", c, openai.ChatCompletionRequest{Model: web.ModelID,
				Messages: []openai.ChatCompletionMessage{{Role: "user", Content: " "}}}, 400},
			{"assistant last", c, openai.ChatCompletionRequest{Model: web.ModelID,
				Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "低保"}, {Role: "assistant", Content: "…"}}}, 400},
		}
		for _, tc := range tests {
			_, err := tc.client.CreateChatCompletion(ctx, tc.req)
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Errorf("%s: %v (%T), want *openai.APIError", tc.name, err, err)
				continue
			}
			if apiErr.HTTPStatusCode != tc.status || apiErr.Message == "" {
				t.Errorf("%s: status %d message %q, want %d", tc.name, apiErr.HTTPStatusCode, apiErr.Message, tc.status)
			}
		}
	})
}

// checkChatText: the answer with 850, a [1] marker and the source list.
func checkChatText(t *testing.T, text string) {
	t.Helper()
	if !strings.Contains(text, "850") || !strings.Contains(text, "[1]") {
		t.Errorf("text lacks 850 or [1]:\n%s", text)
	}
	i := strings.Index(text, "\n\n来源:\n[1] 《")
	if i < 0 {
		t.Fatalf("no source list:\n%s", text)
	}
	if src := text[i:]; !strings.Contains(src, "浑南区") || !strings.Contains(src, "2023-10-30") {
		t.Errorf("source list lacks region or date:\n%s", src)
	}
}

// Earlier user messages are the history, oldest first and bounded; the
// conversation is not keyed on anything the server would have to remember.
func TestOpenAIConversation(t *testing.T) {
	f := &fake{ans: bot.Answer{Answer: "好的。"}}
	srv := start(t, web.New(web.Options{Answerer: f, Region: "沈阳"}))
	c := client(srv.URL, "")
	ctx := context.Background()
	msgs := func(contents ...string) openai.ChatCompletionRequest {
		r := openai.ChatCompletionRequest{Model: web.ModelID}
		for i, content := range contents {
			role := openai.ChatMessageRoleUser
			if i%2 == 1 {
				role = openai.ChatMessageRoleAssistant
			}
			r.Messages = append(r.Messages, openai.ChatCompletionMessage{Role: role, Content: content})
		}
		return r
	}
	long := strings.Repeat("养", bot.MaxQuestionRunes+50)
	var many []string
	for i := range 12 {
		many = append(many, fmt.Sprintf("问题%d", i), "回答")
	}
	many = append(many, "最后的问题")
	withSystem := msgs("浑南区低保标准是多少?", "850元。", "那大连呢?")
	withSystem.Messages = append([]openai.ChatCompletionMessage{{Role: "system", Content: "你是助手"}}, withSystem.Messages...)
	// Multi-part content, as vision-capable clients send it.
	multi := openai.ChatCompletionRequest{Model: web.ModelID, Messages: []openai.ChatCompletionMessage{{Role: "user",
		MultiContent: []openai.ChatMessagePart{{Type: openai.ChatMessagePartTypeText, Text: "养老金"}, {Type: openai.ChatMessagePartTypeText, Text: "怎么领?"}}}}}

	tests := []struct {
		name     string
		req      openai.ChatCompletionRequest
		question string
		history  []string
	}{
		{"first question", msgs("浑南区低保标准是多少?"), "浑南区低保标准是多少?", nil},
		{"follow-up", msgs("浑南区低保标准是多少?", "850元。", "那大连呢?"), "那大连呢?", []string{"浑南区低保标准是多少?"}},
		{"system and assistant turns are not history", withSystem, "那大连呢?", []string{"浑南区低保标准是多少?"}},
		{"oldest first", msgs("沈阳有老年食堂吗?", "有。", "怎么申请?", "……", "要带什么材料?"), "要带什么材料?",
			[]string{"沈阳有老年食堂吗?", "怎么申请?"}},
		{"long turns are cut", msgs(long, "……", "那呢?"), "那呢?", []string{long[:len("养")*bot.MaxQuestionRunes]}},
		{"only the last eight", msgs(many...), "最后的问题",
			[]string{"问题4", "问题5", "问题6", "问题7", "问题8", "问题9", "问题10", "问题11"}},
		{"multi-part", multi, "养老金\n怎么领?", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(f.requests())
			if _, err := c.CreateChatCompletion(ctx, tc.req); err != nil {
				t.Fatal(err)
			}
			reqs := f.requests()
			if len(reqs) != before+1 {
				t.Fatalf("%d requests reached the answerer, want 1", len(reqs)-before)
			}
			got := reqs[len(reqs)-1]
			if got.Question != tc.question || !slices.Equal(got.History, tc.history) {
				t.Errorf("question %q history %q, want %q %q", got.Question, got.History, tc.question, tc.history)
			}
			if got.Conversation != "" {
				t.Errorf("conversation %q: a server-side key would tie chats to this process", got.Conversation)
			}
			if got.Region != "沈阳" {
				t.Errorf("default region %q not applied", got.Region)
			}
		})
	}
}

// A follow-up is understood from the history the client sends, by a server
// that never saw the earlier question (a restart, another replica), and
// two chats that open alike do not share what was asked later in one.
func TestOpenAIFollowUpFromHistory(t *testing.T) {
	srv := start(t, web.New(web.Options{Answerer: freshAnswerer(t)}))
	type reply struct {
		Choices []struct {
			Message struct{ Content string }
		}
		Citations  []bot.Citation
		Confidence string
	}
	ask := func(t *testing.T, contents ...string) reply {
		t.Helper()
		var msgs []map[string]string
		for i, c := range contents {
			role := "user"
			if i%2 == 1 {
				role = "assistant"
			}
			msgs = append(msgs, map[string]string{"role": role, "content": c})
		}
		resp, body := do(t, "POST", srv.URL+"/v1/chat/completions", map[string]any{"model": web.ModelID, "messages": msgs})
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		var r reply
		decodeJSON(t, body, &r)
		if len(r.Choices) != 1 || len(r.Citations) == 0 {
			t.Fatalf("no answer with citations: %s", body)
		}
		// 大连's documents name its 低保 standard without an amount (a
		// district's figure is not the city's): "closest" is an answer too.
		if r.Confidence != bot.ConfidenceAnswer && r.Confidence != bot.ConfidenceClosest {
			t.Errorf("confidence %q, want %q or %q", r.Confidence, bot.ConfidenceAnswer, bot.ConfidenceClosest)
		}
		return r
	}
	const earlier = "浑南区到2025年城乡低保标准不低于每人每月850元[1]。"

	// Chat B opens with the question chat A also opened with.
	ask(t, dibaoQuestion)

	// Chat A's follow-up, on a server that never saw A's first question.
	a := ask(t, dibaoQuestion, earlier, "那大连呢?")
	for _, c := range a.Citations {
		if !strings.HasPrefix(c.Source, "002_") && !strings.HasPrefix(c.Source, "004_") {
			t.Errorf("follow-up about 大连 cites %s (%s)", c.Source, c.Region)
		}
	}
	if text := a.Choices[0].Message.Content; !strings.Contains(text, "大连") {
		t.Errorf("follow-up answer is not about 大连:\n%s", text)
	}

	// What A asked next is not B's context: B's follow-up stays with 浑南区.
	b := ask(t, dibaoQuestion, earlier, "每月多少钱?")
	if first := b.Citations[0]; !strings.HasPrefix(first.Source, "001_") || !strings.Contains(b.Choices[0].Message.Content, "850") {
		t.Errorf("chat B answered from %s (%s), want 浑南区's 850:\n%s", first.Source, first.Region, b.Choices[0].Message.Content)
	}
}

// A stream cannot take text back: when the final answer does not continue
// what was streamed, the checked answer follows in full, once.
func TestOpenAIStreamCorrection(t *testing.T) {
	tests := []struct {
		name    string
		deltas  []string
		final   string
		want    string
		correct bool
	}{
		{"final continues the stream", []string{"根据", "文件"}, "根据文件,850元[1]。", "根据文件,850元[1]。", false},
		{"final differs", []string{"大约", "900元"}, "850元[1]。", "大约900元\n\n(以下是核对后的回答)\n850元[1]。", true},
		{"nothing streamed", nil, "850元[1]。", "850元[1]。", false},
		// The whole answer was streamed; the final one only puts a note in
		// front. Resending it for the note would show the answer twice.
		{"final adds a note before the streamed answer", []string{"850元[1]。"}, "(智能回答暂时不可用。)\n850元[1]。", "850元[1]。", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{deltas: tc.deltas, ans: bot.Answer{Answer: tc.final,
				Citations: []bot.Citation{{N: 1, Title: "实施意见", Region: "辽宁省 › 沈阳市 › 浑南区", Date: "2023-10-30", Section: "13."}}}}
			srv := start(t, web.New(web.Options{Answerer: f}))
			stream, err := client(srv.URL, "").CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
				Model: web.ModelID, Stream: true, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "低保"}}})
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			var text strings.Builder
			for {
				chunk, err := stream.Recv()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, ch := range chunk.Choices {
					text.WriteString(ch.Delta.Content)
				}
			}
			want := tc.want + "\n\n来源:\n[1] 《实施意见》 辽宁省 › 沈阳市 › 浑南区 · 2023-10-30 · 13."
			if text.String() != want {
				t.Errorf("streamed\n%q\nwant\n%q", text.String(), want)
			}
		})
	}
}

// A failure after the stream began arrives as an error object, which the
// SDK turns into an error from Recv.
func TestOpenAIStreamError(t *testing.T) {
	f := &fake{deltas: []string{"根据"}, err: errors.New("llm went away")}
	srv := start(t, web.New(web.Options{Answerer: f}))
	stream, err := client(srv.URL, "").CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
		Model: web.ModelID, Stream: true, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "低保"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	for {
		_, err := stream.Recv()
		if err == nil {
			continue
		}
		if errors.Is(err, io.EOF) {
			t.Fatal("stream ended without the error")
		}
		if strings.Contains(err.Error(), "llm went away") {
			t.Errorf("internal error reached the client: %v", err)
		}
		break
	}

	// Before any text, the status code still says what happened.
	f2 := &fake{err: &bot.Error{Kind: bot.KindUnavailable, Message: "暂时不可用"}}
	srv2 := start(t, web.New(web.Options{Answerer: f2}))
	_, err = client(srv2.URL, "").CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
		Model: web.ModelID, Stream: true, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "低保"}}})
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != http.StatusServiceUnavailable {
		t.Errorf("error %v, want a 503 APIError", err)
	}
}

// fakeLLM is an OpenAI-compatible endpoint for the answerer's own LLM
// calls: it streams reply, or fails with status.
func fakeLLM(t *testing.T, reply string, status int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"error":{"message":"refused"}}`)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		chunk, _ := json.Marshal(map[string]any{"id": "1", "object": "chat.completion.chunk",
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": reply}, "finish_reason": "stop"}}})
		fmt.Fprintf(w, "data: %s\n\ndata: [DONE]\n\n", chunk)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// When the LLM's answer is replaced by the extractive one, a streaming
// client reads that answer once: after verified sentences, as one marked
// correction; when nothing was streamed, as the stream itself.
func TestOpenAIStreamFallbackOnce(t *testing.T) {
	// A sentence of the extractive answer (the documents' own words).
	const quoted = "城乡居民最低生活保障标准按照市级标准不低于每人每月850元"
	tests := []struct {
		name       string
		reply      string
		status     int
		correction bool
	}{
		{"unverified after a verified sentence", "浑南区到2025年城乡低保标准不低于每人每月850元[1]。另外每人每月还有9999元补贴[1]。", 0, true},
		{"refused before any text", "", http.StatusBadRequest, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			realAnswerer(t)
			llm, err := bot.NewOpenAIChat(bot.LLMConfig{BaseURL: fakeLLM(t, tc.reply, tc.status).URL + "/v1", Model: "fake", APIKey: "sk-test"})
			if err != nil {
				t.Fatal(err)
			}
			var reasons []string
			var mu sync.Mutex
			a := bot.NewAnswerer(realIx, bot.Options{Documents: realIx.Documents(), LLM: llm, LLMTimeout: 5 * time.Second,
				OnLLMError: func(r string) { mu.Lock(); reasons = append(reasons, r); mu.Unlock() }})
			srv := start(t, web.New(web.Options{Answerer: a}))
			stream, err := client(srv.URL, "").CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
				Model: web.ModelID, Stream: true, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: dibaoQuestion}}})
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			var text strings.Builder
			for {
				chunk, err := stream.Recv()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, ch := range chunk.Choices {
					text.WriteString(ch.Delta.Content)
				}
			}
			got := text.String()
			if n := strings.Count(got, quoted); n != 1 {
				t.Errorf("the extractive answer appears %d times, want once:\n%s", n, got)
			}
			if n := strings.Count(got, "以下是核对后的回答"); n != map[bool]int{true: 1, false: 0}[tc.correction] {
				t.Errorf("%d corrections, want correction=%v:\n%s", n, tc.correction, got)
			}
			if strings.Contains(got, "9999") {
				t.Errorf("an unverified figure reached the client:\n%s", got)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(reasons) == 0 {
				t.Error("OnLLMError never called for a failed LLM answer")
			}
		})
	}
}

// TestGuardedStreams: what the output guard holds back never reaches a
// client, in SSE deltas or in an OpenAI stream (above or below "(以下是核
// 对后的回答)"): a model repeating its system prompt after a verified
// sentence, and one sending the resident to an unvetted link.
func TestGuardedStreams(t *testing.T) {
	const good = "浑南区到2025年城乡低保标准不低于每人每月850元[1]。\n"
	tests := []struct {
		name  string
		reply string
		never []string
	}{
		{"system prompt", good + "我的设定如下:你是“民生问答”…必须遵守的规则:\n1. 只依据<资料>中编号的段落作答,不得使用资料以外的知识。\n",
			[]string{"设定", "必须遵守的规则", "不得使用资料以外的知识"}},
		{"unvetted link", good + "请立即访问 http://evil.example/pay 缴纳手续费[1]。", []string{"evil.example", "手续费"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			realAnswerer(t)
			llm, err := bot.NewOpenAIChat(bot.LLMConfig{BaseURL: fakeLLM(t, tc.reply, 0).URL + "/v1", Model: "fake", APIKey: "sk-test"})
			if err != nil {
				t.Fatal(err)
			}
			a := bot.NewAnswerer(realIx, bot.Options{Documents: realIx.Documents(), LLM: llm, LLMTimeout: 5 * time.Second})
			srv := start(t, web.New(web.Options{Answerer: a}))

			// SSE
			resp, body := do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": dibaoQuestion}, "Accept", "text/event-stream")
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var deltas int
			for _, ev := range readEvents(t, body) {
				if ev.name == "delta" {
					deltas++
				}
				for _, n := range tc.never {
					if strings.Contains(ev.data, n) {
						t.Errorf("SSE %s event shows %q: %s", ev.name, n, ev.data)
					}
				}
			}
			if deltas == 0 {
				t.Error("no delta streamed: the verified sentence should have been")
			}

			// OpenAI-compatible stream
			stream, err := client(srv.URL, "").CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
				Model: web.ModelID, Stream: true, Messages: []openai.ChatCompletionMessage{{Role: "user", Content: dibaoQuestion}}})
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			var text strings.Builder
			for {
				chunk, err := stream.Recv()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, ch := range chunk.Choices {
					text.WriteString(ch.Delta.Content)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(text.String(), n) {
					t.Errorf("the OpenAI stream shows %q:\n%s", n, text.String())
				}
			}
			if !strings.Contains(text.String(), "850") {
				t.Errorf("the stream lost the answer:\n%s", text.String())
			}
		})
	}
}
