package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/minsheng/minsheng/bot/web"
)

func TestPage(t *testing.T) {
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t)}))
	tests := []struct {
		path, ctype string
		status      int
		contains    []string
	}{
		{"/", "text/html", 200, []string{`<html lang="zh-CN">`, `name="viewport"`, "民生问答", `id="region"`, `id="size"`, "/assets/app.js"}},
		{"/assets/app.js", "text/javascript", 200, []string{"/v1/ask", "text/event-stream", "/v1/feedback", "/v1/regions"}},
		{"/assets/app.css", "text/css", 200, []string{"html.large"}},
		{"/assets/nothing.js", "text/plain", 404, nil},
		{"/assets/index.html", "text/plain", 404, nil},
		{"/index.html", "text/plain", 404, nil},
	}
	for _, tc := range tests {
		resp, body := do(t, "GET", srv.URL+tc.path, nil)
		if resp.StatusCode != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) {
			t.Errorf("GET %s: %d %s, want %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status, tc.ctype)
			continue
		}
		for _, want := range tc.contains {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s lacks %q", tc.path, want)
			}
		}
		if tc.status == 200 && resp.Header.Get("ETag") == "" {
			t.Errorf("GET %s: no ETag", tc.path)
		}
	}

	resp, _ := do(t, "GET", srv.URL+"/", nil)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	// A revalidation costs nothing when the page has not changed.
	resp2, body := do(t, "GET", srv.URL+"/", nil, "If-None-Match", resp.Header.Get("ETag"))
	if resp2.StatusCode != 304 || body != "" {
		t.Errorf("revalidation: %d with %d bytes, want 304", resp2.StatusCode, len(body))
	}
}

// The page must work offline and never render text as markup.
func TestPageIsSelfContainedAndEscapes(t *testing.T) {
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:|fonts\.googleapis|cdn`)
	markup := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function`)
	err := filepath.WalkDir("static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if m := external.Find(raw); m != nil {
			t.Errorf("%s loads something from elsewhere: %q", path, m)
		}
		if strings.HasSuffix(path, ".js") {
			if m := markup.Find(raw); m != nil {
				t.Errorf("%s uses %q: build DOM nodes with textContent instead", path, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The page may be framed only by the origins the operator names; by
// default by none.
func TestFrameAncestors(t *testing.T) {
	tests := []struct {
		name      string
		origins   []string
		ancestors string // the frame-ancestors directive
		xfo       string // X-Frame-Options
	}{
		{"default", nil, "frame-ancestors 'none'", "DENY"},
		{"self", []string{"'self'"}, "frame-ancestors 'self'", "SAMEORIGIN"},
		{"a district site", []string{"https://www.hunnan.gov.cn", "https://*.shenyang.gov.cn:8443"},
			"frame-ancestors https://www.hunnan.gov.cn https://*.shenyang.gov.cn:8443", ""},
		// An entry that could smuggle another directive in is left out.
		{"injection dropped", []string{"https://a.example; script-src *", "https://b.example"}, "frame-ancestors https://b.example", ""},
		{"only bad entries", []string{"*"}, "frame-ancestors 'none'", "DENY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), FrameAncestors: tc.origins}))
			resp, _ := do(t, "GET", srv.URL+"/", nil)
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.HasSuffix(csp, "; "+tc.ancestors) || strings.Count(csp, "script-src") != 1 {
				t.Errorf("Content-Security-Policy %q, want it to end with %q", csp, tc.ancestors)
			}
			if got := resp.Header.Get("X-Frame-Options"); got != tc.xfo {
				t.Errorf("X-Frame-Options %q, want %q", got, tc.xfo)
			}
		})
	}
}

func TestParseFrameAncestors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"'none'", nil, false},
		{"https://www.hunnan.gov.cn", []string{"https://www.hunnan.gov.cn"}, false},
		{"https://WWW.Hunnan.gov.cn/, 'self'  http://localhost:8081", []string{"https://www.hunnan.gov.cn", "'self'", "http://localhost:8081"}, false},
		{"https://*.shenyang.gov.cn", []string{"https://*.shenyang.gov.cn"}, false},
		{"*", nil, true},
		{"www.hunnan.gov.cn", nil, true},
		{"https://www.hunnan.gov.cn/chat", nil, true},
		{"https://a.example;script-src", nil, true},
		{"javascript:alert(1)", nil, true},
		{"self", nil, true},
	}
	for _, tc := range tests {
		got, err := web.ParseFrameAncestors(tc.in)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("ParseFrameAncestors(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}
