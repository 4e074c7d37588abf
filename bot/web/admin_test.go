package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
	"github.com/minsheng/minsheng/curated"
	"github.com/minsheng/minsheng/retrieval"
)

const (
	aliceToken = "alice-token-0123456789"
	bobToken   = "bob-token-9876543210ab"
)

// adminSite is a server with the staff pages over a library in a temp
// folder, rebuilding a real index of the seeds plus the library.
type adminSite struct {
	srv      *web.Server
	url      string
	dir      string
	audit    string
	queue    *bot.Queue
	feedback *bot.FeedbackLog
	lib      retrieval.Library
}

// pdfReader is shared by the tests of this binary: its engine compiles
// once.
var pdfReader = &retrieval.PDFReader{CacheDir: filepath.Join(os.TempDir(), "minsheng-test-pdfium-cache")}

// newAdminSite starts the site; each of opts may change its staff options.
func newAdminSite(t *testing.T, maxDoc int64, opts ...func(*web.Admin)) *adminSite {
	t.Helper()
	dir := t.TempDir()
	queue, err := bot.OpenQueue(filepath.Join(dir, "unanswered.jsonl"), 0)
	if err != nil {
		t.Fatal(err)
	}
	store, err := curated.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	lib := retrieval.Library{Dir: filepath.Join(dir, "docs")}
	docs := func() ([]retrieval.Document, error) {
		seeds, err := retrieval.SeedDocuments()
		if err != nil {
			return nil, err
		}
		added, err := lib.Load()
		if err != nil {
			return nil, err
		}
		all := append(seeds, added...)
		sup, err := lib.Supersessions()
		sup.Apply(all)
		return all, err
	}
	build := func(ctx context.Context) (*bot.Answerer, error) {
		all, err := docs()
		if err != nil {
			return nil, err
		}
		ix, err := retrieval.Build(ctx, all, retrieval.Options{})
		if err != nil {
			return nil, err
		}
		return bot.NewAnswerer(ix, bot.Options{Documents: ix.Documents(), Curated: store,
			OnUnanswered: func(req bot.Request, ans bot.Answer) { queue.RecordAnswer(req, ans) }}), nil
	}
	first, err := build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := &adminSite{dir: dir, audit: filepath.Join(dir, "admin-audit.jsonl"), queue: queue,
		feedback: bot.NewFeedbackLog(filepath.Join(dir, "feedback.jsonl"), "salt"), lib: lib}
	adm := &web.Admin{
		Tokens:           map[string]string{"alice": aliceToken, "bob": bobToken},
		Library:          lib,
		Formats:          retrieval.Formats{PDF: pdfReader},
		MaxDocumentBytes: maxDoc,
		Curated:          store,
		Documents:        docs,
		Audit:            bot.NewFileJournal(s.audit),
		Rebuild:          build,
	}
	for _, o := range opts {
		o(adm)
	}
	s.srv = web.New(web.Options{Answerer: first, Queue: queue, Feedback: s.feedback, Admin: adm})
	s.url = start(t, s.srv).URL
	return s
}

// upload posts a file to url as multipart field "file".
func upload(t *testing.T, url, token, name string, data []byte, fields ...string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return do(t, http.MethodPost, url, bytes.NewReader(body.Bytes()), "Content-Type", mw.FormDataContentType(), "Authorization", "Bearer "+token)
}

// waitReady polls the status until the index reaches version want.
func (s *adminSite) waitReady(t *testing.T, want int) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		_, body := do(t, http.MethodGet, s.url+"/admin/api/status", nil, "Authorization", "Bearer "+aliceToken)
		var st map[string]any
		decodeJSON(t, body, &st)
		if st["state"] != "building" && st["version"].(float64) >= float64(want) {
			return st
		}
		select {
		case <-ctx.Done():
			t.Fatalf("index not rebuilt: %v", st)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *adminSite) auditLines(t *testing.T) []web.AuditRecord {
	t.Helper()
	raw, err := os.ReadFile(s.audit)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), aliceToken) || strings.Contains(string(raw), bobToken) {
		t.Errorf("the audit log holds a token: %s", raw)
	}
	var out []web.AuditRecord
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if line == "" {
			continue
		}
		var r web.AuditRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

func TestAdminAbsentWithoutTokens(t *testing.T) {
	for name, opt := range map[string]*web.Admin{"no admin": nil, "no tokens": {Tokens: map[string]string{}}} {
		srv := start(t, web.New(web.Options{Answerer: &fake{}, Admin: opt}))
		for _, p := range []string{"/admin", "/admin/", "/admin/api/whoami", "/admin/api/documents", "/assets/admin.html"} {
			resp, _ := do(t, http.MethodGet, srv.URL+p, nil, "Authorization", "Bearer "+aliceToken)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: GET %s: %d, want 404", name, p, resp.StatusCode)
			}
		}
		resp, _ := upload(t, srv.URL+"/admin/api/documents", aliceToken, "a.txt", []byte("x"))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: upload: %d, want 404", name, resp.StatusCode)
		}
	}
}

func TestAdminAuth(t *testing.T) {
	s := newAdminSite(t, 0)
	routes := []struct{ method, path string }{
		{"GET", "/admin/api/whoami"}, {"GET", "/admin/api/status"}, {"GET", "/admin/api/documents"},
		{"POST", "/admin/api/documents"}, {"GET", "/admin/api/curated"}, {"POST", "/admin/api/curated"},
		{"POST", "/admin/api/curated/import"}, {"GET", "/admin/api/queue"}, {"GET", "/admin/api/feedback"},
	}
	for _, auth := range []string{"", "Bearer ", "Bearer wrong-token-000000000", "Basic " + aliceToken, aliceToken, "Bearer " + aliceToken + "x"} {
		for _, r := range routes {
			var hdr []string
			if auth != "" {
				hdr = []string{"Authorization", auth}
			}
			resp, body := do(t, r.method, s.url+r.path, nil, hdr...)
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s with %q: %d %s, want 401", r.method, r.path, auth, resp.StatusCode, body)
			}
		}
	}
	for tok, name := range map[string]string{aliceToken: "alice", bobToken: "bob"} {
		_, body := do(t, "GET", s.url+"/admin/api/whoami", nil, "Authorization", "Bearer "+tok)
		if !strings.Contains(body, `"name":"`+name+`"`) {
			t.Errorf("whoami: %s, want %s", body, name)
		}
	}
	// The page holds no data: it asks for the token itself.
	resp, body := do(t, "GET", s.url+"/admin", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="token"`) || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("page: %d %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	if len(s.auditLines(t)) != 0 {
		t.Errorf("reads were audited")
	}
}

const htmlNotice = `<html><head><title>关于浑南区某某社区理发补贴的通知</title></head><body>
<h1>关于浑南区某某社区理发补贴的通知</h1><p>发布机构:沈阳市浑南区民政局 发布日期:2024-06-01</p>
<p>一、补贴标准</p><p>1.某某社区老年人理发补贴每人每次17元,由社区理发点直接减免。</p>
<p>二、申请方式</p><p>1.老年人持身份证到社区服务站登记。</p></body></html>`

func TestAdminUpload(t *testing.T) {
	s := newAdminSite(t, 4096)
	const q = "浑南区某某社区老年人理发补贴每次多少钱?"
	for _, tc := range []struct {
		name, file string
		data       []byte
		fields     []string
		status     int
		msg        string
	}{
		{"empty", "a.txt", nil, nil, http.StatusBadRequest, "empty"},
		{"over the cap", "big.txt", bytes.Repeat([]byte("很长"), 1000), nil, http.StatusRequestEntityTooLarge, ""},
		{"unsupported", "a.exe", []byte("MZ"), nil, http.StatusBadRequest, ""},
		{"not a docx", "a.docx", []byte("PK\x03\x04 not a zip"), nil, http.StatusBadRequest, ""},
	} {
		resp, body := upload(t, s.url+"/admin/api/documents", aliceToken, tc.file, tc.data, tc.fields...)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, resp.StatusCode, body, tc.status)
		}
		errorOf(t, body)
	}
	if docs, _ := s.lib.Load(); len(docs) != 0 {
		t.Fatalf("refused uploads left %d documents", len(docs))
	}

	resp, body := upload(t, s.url+"/admin/api/documents", aliceToken, "haircut.html", []byte(htmlNotice))
	if resp.StatusCode != http.StatusAccepted || !strings.Contains(body, "理发补贴") || !strings.Contains(body, "2024-06-01") {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	s.waitReady(t, 1)
	_, body = do(t, "POST", s.url+"/v1/ask", map[string]string{"question": q})
	var ans bot.Answer
	decodeJSON(t, body, &ans)
	if !strings.Contains(ans.Answer, "17元") || len(ans.Citations) == 0 || ans.Citations[0].Source != "haircut.html" {
		t.Errorf("after the upload: %+v", ans)
	}
	_, body = do(t, "GET", s.url+"/admin/api/documents", nil, "Authorization", "Bearer "+aliceToken)
	if !strings.Contains(body, `"source":"haircut.html"`) || !strings.Contains(body, `"added":true`) {
		t.Errorf("documents: %s", truncate(body, 500))
	}

	// A second copy is refused unless it replaces the first.
	resp, body = upload(t, s.url+"/admin/api/documents", bobToken, "haircut.html", []byte(htmlNotice))
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("duplicate: %d %s", resp.StatusCode, body)
	}
	resp, body = upload(t, s.url+"/admin/api/documents", bobToken, "haircut.html", []byte(strings.ReplaceAll(htmlNotice, "17元", "19元")), "replace", "1")
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("replace: %d %s", resp.StatusCode, body)
	}
	s.waitReady(t, 2)
	_, body = do(t, "POST", s.url+"/v1/ask", map[string]string{"question": q})
	if !strings.Contains(body, "19元") {
		t.Errorf("after the replacement: %s", truncate(body, 400))
	}
	audit := s.auditLines(t)
	if len(audit) != 2 || audit[0].Who != "alice" || audit[0].Action != "document.add" || audit[0].Target != "haircut.html" ||
		audit[1].Who != "bob" || audit[1].Action != "document.replace" || audit[0].Time.IsZero() {
		t.Errorf("audit: %+v", audit)
	}
}

func TestAdminUploadPDF(t *testing.T) {
	raw, err := os.ReadFile("../../retrieval/testdata/notice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	s := newAdminSite(t, 0)
	resp, body := upload(t, s.url+"/admin/api/documents", aliceToken, "notice.pdf", raw)
	if resp.StatusCode != http.StatusAccepted || !strings.Contains(body, "老年助餐补贴") {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	s.waitReady(t, 1)
	_, body = do(t, "POST", s.url+"/v1/ask", map[string]string{"question": "浑南区某某社区助餐补贴每人每月多少钱?"})
	if !strings.Contains(body, "123元") || !strings.Contains(body, `"source":"notice.pdf"`) {
		t.Errorf("answer: %s", truncate(body, 500))
	}
}

func TestAdminCurated(t *testing.T) {
	s := newAdminSite(t, 0)
	upload(t, s.url+"/admin/api/documents", aliceToken, "haircut.html", []byte(htmlNotice))
	s.waitReady(t, 1)
	auth := []string{"Authorization", "Bearer " + bobToken}
	const q = "某某社区理发补贴到哪里登记?"
	for _, tc := range []struct {
		name   string
		row    map[string]string
		status int
		msg    string
	}{
		{"figure not in the source", map[string]string{"question": q, "answer": "每次补贴99元,到社区服务站登记。", "sources": "haircut.html"}, http.StatusBadRequest, "99"},
		{"unknown source", map[string]string{"question": q, "answer": "到社区服务站登记。", "sources": "nowhere.pdf"}, http.StatusBadRequest, "nowhere.pdf"},
		{"no answer", map[string]string{"question": q, "sources": "haircut.html"}, http.StatusBadRequest, ""},
		{"good", map[string]string{"question": q, "wordings": "理发补贴怎么申请", "answer": "持身份证到社区服务站登记,每次补贴17元。", "sources": "haircut.html"}, http.StatusOK, ""},
	} {
		resp, body := do(t, "POST", s.url+"/admin/api/curated", tc.row, auth...)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.msg) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
	_, body := do(t, "POST", s.url+"/v1/ask", map[string]string{"question": q})
	var ans bot.Answer
	decodeJSON(t, body, &ans)
	if ans.Mode != bot.ModeCurated || !strings.Contains(ans.Answer, "社区整理的答复") {
		t.Errorf("curated answer not given: %s", truncate(body, 500))
	}
	_, body = do(t, "GET", s.url+"/admin/api/curated", nil, auth...)
	if !strings.Contains(body, `"hits":1`) || !strings.Contains(body, `"author":"bob"`) {
		t.Errorf("list: %s", body)
	}

	// A sheet is imported whole or not at all.
	sheet := "问题,答复,来源文件\n理发补贴每次多少钱,每次17元。,haircut.html\n理发补贴多少,每次18元。,haircut.html\n"
	resp, body := upload(t, s.url+"/admin/api/curated/import", bobToken, "faq.csv", []byte(sheet))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "row 3") {
		t.Errorf("bad sheet: %d %s", resp.StatusCode, body)
	}
	sheet = "问题,答复,来源文件\n理发补贴每次多少钱,每次17元。,haircut.html\n"
	resp, body = upload(t, s.url+"/admin/api/curated/import", bobToken, "faq.csv", []byte(sheet))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"saved":1`) {
		t.Errorf("sheet: %d %s", resp.StatusCode, body)
	}
	_, body = do(t, "GET", s.url+"/admin/api/curated", nil, auth...)
	var list struct{ Pairs []curated.Pair }
	decodeJSON(t, body, &list)
	if len(list.Pairs) != 2 {
		t.Errorf("pairs after import: %s", body)
	}
	audit := s.auditLines(t)
	if len(audit) != 3 || audit[1].Action != "curated.save" || audit[1].Who != "bob" || audit[2].Action != "curated.import" {
		t.Errorf("audit: %+v", audit)
	}
}

func TestAdminQueueAndFeedback(t *testing.T) {
	s := newAdminSite(t, 0)
	auth := []string{"Authorization", "Bearer " + aliceToken}
	_, body := do(t, "GET", s.url+"/admin/api/queue", nil, auth...)
	if body != "{\"groups\":[]}\n" {
		t.Errorf("empty queue: %q", body)
	}
	for _, q := range []string{"请问老年助餐补贴怎么领", "老年助餐补贴如何领取"} {
		if err := s.queue.Record(bot.QueueEntry{Question: q, Region: "浑南区", Decision: bot.QueueNone}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.feedback.Record(bot.Feedback{Channel: "web", User: "u", Question: "低保标准是多少", Answer: "850元", Helpful: false, Reason: "过时"}); err != nil {
		t.Fatal(err)
	}
	s.feedback.Record(bot.Feedback{Channel: "web", User: "u", Question: "好问题", Answer: "好", Helpful: true})
	_, body = do(t, "GET", s.url+"/admin/api/queue", nil, auth...)
	var groups struct{ Groups []bot.QueueGroup }
	decodeJSON(t, body, &groups)
	if len(groups.Groups) != 1 || groups.Groups[0].Count != 2 {
		t.Errorf("queue groups: %s", body)
	}
	_, body = do(t, "GET", s.url+"/admin/api/feedback", nil, auth...)
	var fb struct{ Downvotes []bot.Downvote }
	decodeJSON(t, body, &fb)
	if len(fb.Downvotes) != 1 || fb.Downvotes[0].Reason != "过时" || fb.Downvotes[0].Question != "低保标准是多少" {
		t.Errorf("downvotes: %s", body)
	}
}

func TestParseAdminTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]string
		err  string
	}{
		{"", map[string]string{}, ""},
		{" alice:" + aliceToken + " , bob:" + bobToken + ",", map[string]string{"alice": aliceToken, "bob": bobToken}, ""},
		{"alice", nil, "name:token"},
		{":" + aliceToken, nil, "name:token"},
		{"alice:short", nil, "shorter"},
		{"alice:" + aliceToken + ",alice:" + bobToken, nil, "twice"},
		{"alice:" + aliceToken + ",bob:" + aliceToken, nil, "share"},
	} {
		got, err := web.ParseAdminTokens(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), aliceToken) {
				t.Errorf("%q: error %v, want one about %q without the token", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || len(got) != len(tc.want) || got["alice"] != tc.want["alice"] || got["bob"] != tc.want["bob"] {
			t.Errorf("%q: %v %v", tc.in, got, err)
		}
	}
}

// A rebuild that fails leaves the index that was answering in place and
// says so on the status.
func TestAdminRebuildFails(t *testing.T) {
	dir := t.TempDir()
	old := &fake{ans: bot.Answer{Answer: "旧索引的回答"}}
	srv := start(t, web.New(web.Options{Answerer: old, Admin: &web.Admin{
		Tokens:    map[string]string{"alice": aliceToken},
		Library:   retrieval.Library{Dir: filepath.Join(dir, "docs")},
		Documents: retrieval.SeedDocuments,
		Audit:     bot.NewFileJournal(filepath.Join(dir, "audit.jsonl")),
		Rebuild: func(ctx context.Context) (*bot.Answerer, error) {
			return nil, errors.New("disk full")
		},
	}}))
	resp, body := upload(t, srv.URL+"/admin/api/documents", aliceToken, "haircut.html", []byte(htmlNotice))
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for !strings.Contains(body, `"state":"failed"`) {
		select {
		case <-ctx.Done():
			t.Fatalf("status: %s", body)
		case <-time.After(20 * time.Millisecond):
		}
		_, body = do(t, "GET", srv.URL+"/admin/api/status", nil, "Authorization", "Bearer "+aliceToken)
	}
	if !strings.Contains(body, "disk full") || !strings.Contains(body, "之前的索引") {
		t.Errorf("status: %s", body)
	}
	_, body = do(t, "POST", srv.URL+"/v1/ask", map[string]string{"question": "理发补贴多少钱"})
	if !strings.Contains(body, "旧索引的回答") {
		t.Errorf("after a failed rebuild: %s", body)
	}
}

// adminDocs lists the documents as the page sees them, by name.
func (s *adminSite) adminDocs(t *testing.T) map[string]map[string]any {
	t.Helper()
	_, body := do(t, "GET", s.url+"/admin/api/documents", nil, "Authorization", "Bearer "+aliceToken)
	var out struct{ Documents []map[string]any }
	decodeJSON(t, body, &out)
	m := map[string]map[string]any{}
	for _, d := range out.Documents {
		m[d["source"].(string)] = d
	}
	return m
}

func TestAdminRemoveSupersede(t *testing.T) {
	s := newAdminSite(t, 0)
	const seed = "001_1a1d5eee5e46f0c9.txt"
	auth := []string{"Authorization", "Bearer " + aliceToken}
	if resp, body := upload(t, s.url+"/admin/api/documents", aliceToken, "haircut.html", []byte(htmlNotice)); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	s.waitReady(t, 1)
	if d := s.adminDocs(t)["haircut.html"]; d == nil || d["in_force"] != true || d["superseded_by"] != nil {
		t.Errorf("uploaded document: %v", d)
	}

	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		msg                string
	}{
		{"remove a seed", "DELETE", "/admin/api/documents/" + seed, nil, http.StatusConflict, retrieval.BuiltinNotRemovable(seed)},
		{"remove unknown", "DELETE", "/admin/api/documents/nothing.txt", nil, http.StatusNotFound, "nothing.txt"},
		{"supersede by nothing", "POST", "/admin/api/documents/" + seed + "/supersede", map[string]string{"by": ""}, http.StatusBadRequest, "by"},
		{"supersede by unknown", "POST", "/admin/api/documents/" + seed + "/supersede", map[string]string{"by": "nothing.txt"}, http.StatusBadRequest, "nothing.txt"},
		{"supersede itself", "POST", "/admin/api/documents/" + seed + "/supersede", map[string]string{"by": seed}, http.StatusBadRequest, "自己"},
		{"supersede unknown", "POST", "/admin/api/documents/nothing.txt/supersede", map[string]string{"by": seed}, http.StatusNotFound, "nothing.txt"},
		{"supersede not JSON", "POST", "/admin/api/documents/" + seed + "/supersede", nil, http.StatusUnsupportedMediaType, ""},
	} {
		resp, body := do(t, tc.method, s.url+tc.path, tc.body, auth...)
		if resp.StatusCode != tc.status || !strings.Contains(errorOf(t, body), tc.msg) {
			t.Errorf("%s: %d %s, want %d %q", tc.name, resp.StatusCode, body, tc.status, tc.msg)
		}
	}
	if len(s.auditLines(t)) != 1 {
		t.Fatalf("refused changes were audited: %+v", s.auditLines(t))
	}

	// A built-in document can be marked superseded.
	resp, body := do(t, "POST", s.url+"/admin/api/documents/"+seed+"/supersede", map[string]string{"by": "haircut.html"}, "Authorization", "Bearer "+bobToken)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("supersede: %d %s", resp.StatusCode, body)
	}
	s.waitReady(t, 2)
	if sup, err := s.lib.Supersessions(); err != nil || sup[seed] != "haircut.html" {
		t.Errorf("supersessions: %v %v", sup, err)
	}
	if d := s.adminDocs(t)[seed]; d["superseded_by"] != "haircut.html" || d["in_force"] != false {
		t.Errorf("superseded seed: %v", d)
	}

	resp, body = do(t, "DELETE", s.url+"/admin/api/documents/haircut.html", nil, auth...)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("remove: %d %s", resp.StatusCode, body)
	}
	s.waitReady(t, 3)
	if docs, _ := s.lib.Load(); len(docs) != 0 {
		t.Errorf("after remove the library holds %d documents", len(docs))
	}
	docs := s.adminDocs(t)
	if docs["haircut.html"] != nil || docs[seed]["in_force"] != true {
		t.Errorf("after remove: %v, seed %v", docs["haircut.html"], docs[seed])
	}
	_, body = do(t, "POST", s.url+"/v1/ask", map[string]string{"question": "浑南区某某社区老年人理发补贴每次多少钱?"})
	if strings.Contains(body, "17元") {
		t.Errorf("the removed document still answers: %s", truncate(body, 400))
	}
	audit := s.auditLines(t)
	if len(audit) != 3 || audit[1].Who != "bob" || audit[1].Action != "document.supersede" || audit[1].Target != seed ||
		!strings.Contains(audit[1].Detail, "haircut.html") || audit[2].Who != "alice" || audit[2].Action != "document.remove" ||
		audit[2].Target != "haircut.html" || audit[2].Time.IsZero() {
		t.Errorf("audit: %+v", audit)
	}
}

func TestAdminAddURL(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/notice.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, htmlNotice)
		case "/big.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, strings.Repeat("很长", 5000))
		default:
			http.NotFound(w, r)
		}
	}))
	defer page.Close()
	auth := []string{"Authorization", "Bearer " + aliceToken}

	refused := newAdminSite(t, 4096)
	resp, body := do(t, "POST", refused.url+"/admin/api/documents/url", map[string]string{"url": page.URL + "/notice.html"}, auth...)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorOf(t, body), "MINSHENG_FETCH_ALLOW_PRIVATE") {
		t.Errorf("private address: %d %s", resp.StatusCode, body)
	}
	if docs, _ := refused.lib.Load(); len(docs) != 0 || len(refused.auditLines(t)) != 0 {
		t.Errorf("a refused URL left %d documents or an audit line", len(docs))
	}

	s := newAdminSite(t, 4096, func(a *web.Admin) {
		a.Fetch = retrieval.FetchOptions{AllowPrivate: true, Backoff: time.Millisecond}
	})
	for _, tc := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"no URL", map[string]string{"url": " "}, http.StatusBadRequest, "网址"},
		{"not found", map[string]string{"url": page.URL + "/gone.html"}, http.StatusBadRequest, "404"},
		{"over the cap", map[string]string{"url": page.URL + "/big.html"}, http.StatusRequestEntityTooLarge, "MINSHENG_MAX_DOCUMENT_BYTES"},
	} {
		resp, body := do(t, "POST", s.url+"/admin/api/documents/url", tc.body, auth...)
		if resp.StatusCode != tc.status || !strings.Contains(errorOf(t, body), tc.msg) {
			t.Errorf("%s: %d %s, want %d %q", tc.name, resp.StatusCode, body, tc.status, tc.msg)
		}
	}
	resp, body = do(t, "POST", s.url+"/admin/api/documents/url", map[string]string{"url": page.URL + "/notice.html"}, auth...)
	if resp.StatusCode != http.StatusAccepted || !strings.Contains(body, "理发补贴") {
		t.Fatalf("add URL: %d %s", resp.StatusCode, body)
	}
	s.waitReady(t, 1)
	_, body = do(t, "POST", s.url+"/v1/ask", map[string]string{"question": "浑南区某某社区老年人理发补贴每次多少钱?"})
	if !strings.Contains(body, "17元") {
		t.Errorf("after adding the URL: %s", truncate(body, 400))
	}
	if docs, _ := s.lib.Load(); len(docs) != 1 {
		t.Errorf("library holds %d documents", len(docs))
	}
	audit := s.auditLines(t)
	if len(audit) != 1 || audit[0].Who != "alice" || audit[0].Action != "document.add" || !strings.Contains(audit[0].Detail, page.URL+"/notice.html") {
		t.Errorf("audit: %+v", audit)
	}
	resp, body = do(t, "POST", s.url+"/admin/api/documents/url", map[string]string{"url": page.URL + "/notice.html"}, auth...)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("the same URL again: %d %s", resp.StatusCode, body)
	}
}

// lowIncomeNotice overrides a seed's figure in the same region: the check
// question about 浑南's 低保 standard loses its document.
const lowIncomeNotice = "关于调整浑南区城乡居民最低生活保障标准的通知\n发布机构:浑南区民政局 发布日期:2024-03-01\n一、保障标准\n1.浑南区城乡居民最低生活保障标准调整为每人每月990元。\n"

func TestAdminChecksRefuseBreakingChange(t *testing.T) {
	const q = "浑南区低保标准是多少?"
	for _, tc := range []struct {
		name   string
		fields []string
		state  string
		docs   int
		action string
	}{
		{"refused", nil, "refused", 0, "document.refused"},
		{"accepted", []string{"accept", "true"}, "ready", 1, "document.add"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newAdminSite(t, 0)
			resp, body := upload(t, s.url+"/admin/api/documents", aliceToken, "dibao.txt", []byte(lowIncomeNotice), tc.fields...)
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("upload: %d %s", resp.StatusCode, body)
			}
			st := s.waitReady(t, 1)
			if st["state"] != tc.state {
				t.Fatalf("status: %v", st)
			}
			var broken []string
			for _, m := range st["moves"].([]any) {
				if m := m.(map[string]any); m["broken"] == true {
					broken = append(broken, fmt.Sprintf("%v %v → %v", m["id"], m["before"], m["after"]))
				}
			}
			if len(broken) == 0 || !strings.Contains(strings.Join(broken, "\n"), "chk03") {
				t.Errorf("moves do not show chk03 breaking: %v", st["moves"])
			}
			if docs, _ := s.lib.Load(); len(docs) != tc.docs {
				t.Errorf("library holds %d documents, want %d", len(docs), tc.docs)
			}
			_, body = do(t, "POST", s.url+"/v1/ask", map[string]string{"question": q})
			if strings.Contains(body, "990元") != (tc.state == "ready") {
				t.Errorf("answer after the change: %s", truncate(body, 400))
			}
			audit := s.auditLines(t)
			last := audit[len(audit)-1]
			if last.Action != tc.action || last.Target != "dibao.txt" || last.Who != "alice" ||
				(tc.state == "refused" && !strings.Contains(last.Detail, "chk03")) {
				t.Errorf("audit: %+v", audit)
			}
		})
	}
}
