package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
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

// Earlier messages identify the conversation: the same chat continues under
// the same id, another chat (or another user) gets another.
func TestOpenAIConversation(t *testing.T) {
	f := &fake{ans: bot.Answer{Answer: "好的。"}}
	srv := start(t, web.New(web.Options{Answerer: f, Region: "沈阳"}))
	c := client(srv.URL, "")
	ctx := context.Background()
	msgs := func(user string, contents ...string) openai.ChatCompletionRequest {
		r := openai.ChatCompletionRequest{Model: web.ModelID, User: user}
		for i, content := range contents {
			role := openai.ChatMessageRoleUser
			if i%2 == 1 {
				role = openai.ChatMessageRoleAssistant
			}
			r.Messages = append(r.Messages, openai.ChatCompletionMessage{Role: role, Content: content})
		}
		return r
	}
	for _, r := range []openai.ChatCompletionRequest{
		msgs("", "浑南区低保标准是多少?"),
		msgs("", "浑南区低保标准是多少?", "850元。", "那大连呢?"),
		msgs("", "沈阳有老年食堂吗?"),
		msgs("someone-else", "浑南区低保标准是多少?"),
	} {
		if _, err := c.CreateChatCompletion(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// Multi-part content, as vision-capable clients send it.
	multi := openai.ChatCompletionRequest{Model: web.ModelID, Messages: []openai.ChatCompletionMessage{{Role: "user",
		MultiContent: []openai.ChatMessagePart{{Type: openai.ChatMessagePartTypeText, Text: "养老金"}, {Type: openai.ChatMessagePartTypeText, Text: "怎么领?"}}}}}
	if _, err := c.CreateChatCompletion(ctx, multi); err != nil {
		t.Fatal(err)
	}

	reqs := f.requests()
	if len(reqs) != 5 {
		t.Fatalf("%d requests", len(reqs))
	}
	if reqs[1].Question != "那大连呢?" {
		t.Errorf("question %q, want the last user message", reqs[1].Question)
	}
	if reqs[0].Conversation == "" || reqs[0].Conversation != reqs[1].Conversation {
		t.Errorf("one chat, two conversations: %q %q", reqs[0].Conversation, reqs[1].Conversation)
	}
	if reqs[2].Conversation == reqs[0].Conversation || reqs[3].Conversation == reqs[0].Conversation {
		t.Errorf("different chats share a conversation: %q %q %q", reqs[0].Conversation, reqs[2].Conversation, reqs[3].Conversation)
	}
	if reqs[0].Region != "沈阳" {
		t.Errorf("default region %q not applied", reqs[0].Region)
	}
	if reqs[4].Question != "养老金\n怎么领?" {
		t.Errorf("multi-part question %q", reqs[4].Question)
	}
}

// A stream cannot take text back: when the final answer does not continue
// what was streamed, the checked answer follows in full.
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
