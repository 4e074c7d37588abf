package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/minsheng/minsheng/coord/coordtest"
	"github.com/minsheng/minsheng/store"
	"github.com/minsheng/minsheng/store/storetest"
)

// replica is one `minsheng serve` process of a test deployment.
type replica struct {
	url string
	cmd *exec.Cmd
	log *bytes.Buffer
}

// fakeTelegram answers every Bot API call and counts the messages sent
// to each chat.
type fakeTelegram struct {
	mu   sync.Mutex
	sent map[string]int
}

func (f *fakeTelegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseMultipartForm(1 << 20)
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	var result any = true
	switch method {
	case "getMe":
		result = map[string]any{"id": 1, "is_bot": true, "first_name": "民生问答", "username": "minsheng_bot"}
	case "sendMessage", "editMessageText":
		chat := r.FormValue("chat_id")
		f.mu.Lock()
		if method == "sendMessage" {
			f.sent[chat]++
		}
		f.mu.Unlock()
		result = map[string]any{"message_id": 7, "date": 1, "chat": map[string]any{"id": 1, "type": "private"}, "text": "x"}
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func (f *fakeTelegram) count(chat string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sent[chat]
}

func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestReplicas runs three serve processes sharing one PostgreSQL and one
// Redis: a webhook update posted to all three is answered once, a
// follow-up reaching another replica is understood, a document added
// through one is answered by all, and a replica killed with SIGKILL under
// load loses no feedback it acknowledged.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts three servers")
	}
	dbURL, redisURL, prefix := storetest.URL(t), coordtest.URL(t), coordtest.Prefix(t)
	bin := filepath.Join(t.TempDir(), "minsheng")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	tg := &fakeTelegram{sent: map[string]int{}}
	tgSrv := httptest.NewServer(tg)
	defer tgSrv.Close()
	const secret = "s3cret-webhook"
	start := func(i int) *replica {
		addr := freeAddr(t)
		r := &replica{url: "http://" + addr, log: &bytes.Buffer{}}
		r.cmd = exec.Command(bin, "serve")
		r.cmd.Env = append(os.Environ(), "MINSHENG_DATA_DIR="+warmDir(t), "MINSHENG_HTTP_ADDR="+addr,
			"MINSHENG_DATABASE_URL="+dbURL, "MINSHENG_REDIS_URL="+redisURL, "MINSHENG_REDIS_PREFIX="+prefix,
			"MINSHENG_ADMIN_TOKENS=alice:"+strings.Repeat("a", 32), "MINSHENG_TELEGRAM_TOKEN=123:abc",
			"MINSHENG_TELEGRAM_API_URL="+tgSrv.URL, "MINSHENG_TELEGRAM_WEBHOOK_URL=https://bot.example/tg",
			"MINSHENG_TELEGRAM_WEBHOOK_SECRET="+secret, "MINSHENG_LLM_BASE_URL=", "OPENAI_BASE_URL=")
		r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
		if err := r.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			r.cmd.Process.Signal(syscall.SIGTERM)
			r.cmd.Wait()
			if t.Failed() {
				t.Logf("replica %d log:\n%s", i, r.log.String())
			}
		})
		return r
	}
	rs := []*replica{start(0), start(1), start(2)}
	for _, r := range rs {
		waitUntil(t, 90*time.Second, "ready", func() bool {
			resp, err := http.Get(r.url + "/readyz")
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}

	t.Run("webhook update answered once", func(t *testing.T) {
		update := `{"update_id":4242,"message":{"message_id":1,"date":1,"chat":{"id":777,"type":"private"},"from":{"id":777,"is_bot":false,"first_name":"李"},"text":"浑南低保一个月多少钱"}}`
		var wg sync.WaitGroup
		for _, r := range rs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, r.url+"/tg", strings.NewReader(update))
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
				req.Header.Set("Content-Type", "application/json")
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
			}()
		}
		wg.Wait()
		waitUntil(t, 20*time.Second, "an answer", func() bool { return tg.count("777") >= 1 })
		time.Sleep(2 * time.Second) // room for a second answer, which must not come
		if n := tg.count("777"); n != 1 {
			t.Errorf("the update was answered %d times, want once", n)
		}
	})

	t.Run("follow-up on another replica", func(t *testing.T) {
		// Asked alone, the follow-up names no place and gets a line per
		// region; read against the first question, only 沙河口区's.
		const followUp = "一共装了多少户?"
		if alone := ask(t, rs[2].url, followUp, "conv-alone"); !strings.Contains(alone, "浑南区") {
			t.Fatalf("asked alone, the follow-up should answer for several regions: %s", alone)
		}
		first := ask(t, rs[0].url, "沙河口区给80岁以上的老人免费装智能养老设备吗?", "conv-x")
		if !strings.Contains(first, "智能养老") {
			t.Fatalf("first answer: %s", first)
		}
		second := ask(t, rs[1].url, followUp, "conv-x")
		if !strings.Contains(second, "1万户") || strings.Contains(second, "浑南区") {
			t.Errorf("the follow-up on another replica was not read against the first question: %s", second)
		}
	})

	t.Run("document added through one replica reaches all", func(t *testing.T) {
		doc := "沈阳市浑南区青石街道老年助餐补贴办法\n发文机关:沈阳市浑南区民政局\n发布日期:2026-11-20\n一、补贴标准\n青石街道户籍60岁以上老年人在社区食堂就餐,每人每餐补贴8元。\n"
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("accept", "1")
		fw, _ := mw.CreateFormFile("file", "qingshi.txt")
		fw.Write([]byte(doc))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, rs[2].url+"/admin/api/documents", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+strings.Repeat("a", 32))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Fatalf("upload: %d %s", resp.StatusCode, raw)
		}
		q := "青石街道老年助餐每餐补贴多少钱?"
		waitUntil(t, 120*time.Second, "the uploading replica answers from the new document", func() bool { return strings.Contains(ask(t, rs[2].url, q, ""), "8元") })
		began := time.Now()
		for _, r := range rs[:2] {
			waitUntil(t, 5*time.Second-time.Since(began), "the other replicas answer from it", func() bool { return strings.Contains(ask(t, r.url, q, ""), "8元") })
		}
		t.Logf("the other replicas answered from the new document %v after the uploading one", time.Since(began).Round(time.Millisecond))
	})

	t.Run("curated answer saved through one replica is given by all", func(t *testing.T) {
		const q = "青石街道社区食堂在哪里登记就餐?"
		row, _ := json.Marshal(map[string]string{"question": q, "answer": "持身份证到青石街道社区食堂登记,每餐补贴8元。", "sources": "qingshi.txt"})
		req, _ := http.NewRequest(http.MethodPost, rs[0].url+"/admin/api/curated", bytes.NewReader(row))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+strings.Repeat("a", 32))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("save: %d %s", resp.StatusCode, raw)
		}
		for _, r := range rs {
			waitUntil(t, 5*time.Second, "the curated answer on every replica", func() bool { return strings.Contains(ask(t, r.url, q, ""), "社区整理的答复") })
		}
	})

	t.Run("SIGKILL under load loses no acknowledged feedback", func(t *testing.T) {
		var acked atomic.Int64
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		// Each voter comes from an address of its own (127.0.0.N): votes
		// are limited per client, across replicas.
		for w := 0; w < 12; w++ {
			client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
				LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(10+w))}}).DialContext}}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					target := rs[i%2] // replicas 0 and 1; replica 1 is killed
					fb := fmt.Sprintf(`{"question":"q%d-%d","answer":"a","helpful":true,"conversation":"u%d"}`, w, i, w)
					resp, err := client.Post(target.url+"/v1/feedback", "application/json", strings.NewReader(fb))
					if err != nil {
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusNoContent {
						acked.Add(1)
					}
				}
			}()
		}
		// Questions too, so the replica dies while answering.
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					ask(t, rs[i%2].url, "浑南低保一个月多少钱", "")
				}
			}()
		}
		time.Sleep(time.Second)
		rs[1].cmd.Process.Kill()
		time.Sleep(time.Second)
		cancel()
		wg.Wait()
		if a := ask(t, rs[0].url, "浑南低保一个月多少钱", ""); !strings.Contains(a, "850") {
			t.Errorf("a surviving replica stopped answering: %s", a)
		}
		db, err := store.Open(context.Background(), dbURL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		stored := 0
		if err := db.Journal("feedback").Scan(func([]byte) { stored++ }); err != nil {
			t.Fatal(err)
		}
		if int64(stored) < acked.Load() || acked.Load() == 0 {
			t.Errorf("feedback acknowledged %d, stored %d", acked.Load(), stored)
		}
		t.Logf("feedback acknowledged %d, stored %d", acked.Load(), stored)
		// The vote limit holds per client across replicas: a burst of 10
		// and one more per 3 s each, not 10 on each replica.
		if max := int64(12 * (10 + 2)); acked.Load() > max {
			t.Errorf("%d votes acknowledged from 12 clients in 2 s; the shared limit allows at most %d", acked.Load(), max)
		}
	})
}

func ask(t *testing.T, url, q, conv string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"question": q, "conversation": conv})
	resp, err := http.Post(url+"/v1/ask", "application/json", bytes.NewReader(body))
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var out struct {
		Answer string `json:"answer"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	return out.Answer
}

func waitUntil(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
