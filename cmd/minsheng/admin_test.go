package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const wangToken = "wang-secret-token-0001"

// TestServeAdmin runs `minsheng serve` with a staff token: a document
// uploaded on the staff page is answered from once the rebuilt index is
// swapped in, and the change is in the audit log under the staff name.
func TestServeAdmin(t *testing.T) {
	dir := t.TempDir()
	url, logs, stop := runServeCmd(t, map[string]string{"MINSHENG_ADMIN_TOKENS": "wang:" + wangToken, "MINSHENG_DATA_DIR": dir})
	call := func(method, path, token, ctype string, body io.Reader) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, url+path, body)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := call("GET", "/admin", "", "", nil); code != http.StatusOK {
		t.Errorf("/admin: %d", code)
	}
	if code, _ := call("GET", "/admin/api/documents", "", "", nil); code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", code)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "haircut.html")
	fw.Write([]byte(`<html><body><h1>关于浑南区某某社区理发补贴的通知</h1><p>发布机构:沈阳市浑南区民政局 发布日期:2024-06-01</p>
<p>一、补贴标准</p><p>1.某某社区老年人理发补贴每人每次17元,由社区理发点直接减免。</p></body></html>`))
	mw.Close()
	if code, b := call("POST", "/admin/api/documents", wangToken, mw.FormDataContentType(), &body); code != http.StatusAccepted {
		t.Fatalf("upload: %d %s", code, b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		_, b := call("GET", "/admin/api/status", wangToken, "", nil)
		var st struct {
			State   string
			Version int
		}
		json.Unmarshal([]byte(b), &st)
		if st.State == "ready" && st.Version == 1 {
			break
		}
		if st.State == "failed" {
			t.Fatalf("rebuild failed: %s\n%s", b, logs.String())
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no rebuild: %s", b)
		case <-time.After(50 * time.Millisecond):
		}
	}
	_, b := call("POST", "/v1/ask", "", "application/json", strings.NewReader(`{"question":"浑南区某某社区老年人理发补贴每次多少钱?"}`))
	if !strings.Contains(b, "17元") || !strings.Contains(b, `"source":"haircut.html"`) {
		t.Errorf("answer after the upload: %s", b)
	}
	// A curated answer naming a region is placed by the index now serving.
	pair := `{"question":"某某社区理发补贴在哪里减免?","answer":"在社区理发点直接减免,每次17元。","sources":"haircut.html","region":"浑南区"}`
	if code, b := call("POST", "/admin/api/curated", wangToken, "application/json", strings.NewReader(pair)); code != http.StatusOK {
		t.Errorf("curated save: %d %s", code, b)
	}
	_, b = call("GET", "/admin/api/curated", wangToken, "", nil)
	if !strings.Contains(b, `"region":["辽宁省","沈阳市","浑南区"]`) {
		t.Errorf("curated list: %s", b)
	}
	audit, err := os.ReadFile(filepath.Join(dir, auditLogName))
	if err != nil || !strings.Contains(string(audit), `"who":"wang"`) || !strings.Contains(string(audit), `"action":"document.add"`) {
		t.Errorf("audit: %s %v", audit, err)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
	if strings.Contains(logs.String()+string(audit), wangToken) {
		t.Errorf("a token reached the logs or the audit")
	}
}

func TestServeAdminTokensChecked(t *testing.T) {
	for _, v := range []string{"wang", "wang:short", "wang:" + wangToken + ",wang:" + wangToken + "x"} {
		t.Setenv("MINSHENG_ADMIN_TOKENS", v)
		var stderr bytes.Buffer
		code := run(context.Background(), []string{"serve", "--http-addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, strings.NewReader(""), io.Discard, &stderr)
		if code != exitBadInput || !strings.Contains(stderr.String(), "MINSHENG_ADMIN_TOKENS") || strings.Contains(stderr.String(), wangToken) {
			t.Errorf("%q: exit %d, %s", v, code, stderr.String())
		}
	}
}
