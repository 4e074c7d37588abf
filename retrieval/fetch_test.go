package retrieval

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// testFetch are the options of a test: the httptest server is on the
// loopback, and retries need not wait.
var testFetch = FetchOptions{AllowPrivate: true, Backoff: time.Millisecond, Timeout: 10 * time.Second}

func TestPublicAddr(t *testing.T) {
	for _, tc := range []struct {
		ip     string
		public bool
	}{
		{"127.0.0.1", false}, {"127.8.9.10", false}, {"10.1.2.3", false}, {"172.16.0.1", false}, {"192.168.1.1", false},
		{"169.254.169.254", false}, {"100.64.0.1", false}, {"0.0.0.0", false}, {"224.0.0.1", false}, {"198.18.0.1", false},
		{"::1", false}, {"fe80::1", false}, {"fc00::1", false}, {"::ffff:127.0.0.1", false}, {"::ffff:10.0.0.1", false},
		{"64:ff9b::7f00:1", false}, {"::", false},
		{"8.8.8.8", true}, {"202.96.64.68", true}, {"2001:4860:4860::8888", true},
	} {
		ip := netip.MustParseAddr(tc.ip).Unmap()
		if got := publicAddr(ip); got != tc.public {
			t.Errorf("publicAddr(%s) = %v", tc.ip, got)
		}
	}
}

// The dialer checks the address it is about to connect to, so a name
// that resolves to the loopback (or a redirect to one) is refused too.
func TestFetchRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<h1>内部页面</h1>")
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	for _, u := range []string{srv.URL, "http://localhost:" + port + "/", "http://[::1]:" + port + "/"} {
		_, err := Fetch(context.Background(), u, FetchOptions{Backoff: time.Millisecond})
		if !errors.Is(err, ErrFetchRefused) || !strings.Contains(err.Error(), "MINSHENG_FETCH_ALLOW_PRIVATE") {
			t.Errorf("%s: err %v", u, err)
		}
	}
	if _, err := Fetch(context.Background(), srv.URL, testFetch); err != nil {
		t.Errorf("allowed: %v", err)
	}
}

func TestFetch(t *testing.T) {
	pdf := minimalPDF("BT ET", "")
	var flaky atomic.Int32
	mux := http.NewServeMux()
	page := func(ct, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("/notice/content_123.jsp", page("text/html; charset=utf-8", "<h1>关于助餐补贴的通知</h1>"))
	mux.HandleFunc("/", page("text/html", "<h1>首页</h1>"))
	mux.HandleFunc("/files/download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename*=UTF-8''%E5%8A%A9%E9%A4%90%E9%80%9A%E7%9F%A5.pdf`)
		w.Write(pdf)
	})
	mux.HandleFunc("/files/fake.pdf", page("application/octet-stream", "<html>not a pdf</html>"))
	mux.HandleFunc("/image.png", page("image/png", "\x89PNG"))
	mux.HandleFunc("/gbk.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=GBK")
		b, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(gbkNotice))
		w.Write(b)
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/empty.html", page("text/html", ""))
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "5000")
		w.Write([]byte(strings.Repeat("x", 5000)))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for range 10 {
			w.Write([]byte(strings.Repeat("x", 500)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if flaky.Add(1) < 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		page("text/plain", "关于浑南区的通知")(w, r)
	})
	mux.HandleFunc("/down", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusBadGateway) })
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/hop/"), "%d", &n)
		if n == 0 {
			page("text/html", "<h1>到了</h1>")(w, r)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	host = host[:strings.LastIndex(host, ":")]

	tests := []struct {
		path     string
		name     string
		encoding string
		refused  string // in the error when refused
		failed   string // in the error when it failed otherwise
	}{
		{path: "/notice/content_123.jsp", name: "content_123.html"},
		{path: "/", name: host + ".html"},
		{path: "/files/download", name: "助餐通知.pdf"},
		{path: "/gbk.txt", name: "gbk.txt", encoding: "gbk"},
		{path: "/flaky", name: "flaky.txt"},
		{path: "/hop/5", name: "0.html"},
		{path: "/hop/6", refused: "more than 5 redirects"},
		{path: "/files/fake.pdf", refused: "not recognisably a PDF"},
		{path: "/image.png", refused: "image/png"},
		{path: "/missing", refused: "404"},
		{path: "/empty.html", refused: "empty (0 bytes)"},
		{path: "/big", refused: "5000 bytes, over the cap of 4096 bytes"},
		{path: "/big-chunked", refused: "more than the cap of 4096 bytes"},
		{path: "/down", failed: "502"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			opt := testFetch
			opt.MaxBytes = 4096
			f, err := Fetch(context.Background(), srv.URL+tc.path, opt)
			switch {
			case tc.refused != "":
				if !errors.Is(err, ErrFetchRefused) || !strings.Contains(err.Error(), tc.refused) {
					t.Errorf("err %v, want refusal %q", err, tc.refused)
				}
			case tc.failed != "":
				if err == nil || errors.Is(err, ErrFetchRefused) || !strings.Contains(err.Error(), tc.failed) {
					t.Errorf("err %v, want failure %q", err, tc.failed)
				}
			case err != nil:
				t.Errorf("err %v", err)
			case f.Name != tc.name || f.Encoding() != tc.encoding || len(f.Raw) == 0:
				t.Errorf("got %q (encoding %q, %d bytes), want %q %q", f.Name, f.Encoding(), len(f.Raw), tc.name, tc.encoding)
			}
		})
	}
	if n := flaky.Load(); n != 3 {
		t.Errorf("flaky page asked %d times, want 3", n)
	}
	for _, u := range []string{"ftp://example.org/x.pdf", "file:///etc/passwd", "notaurl", "http://"} {
		if _, err := Fetch(context.Background(), u, testFetch); !errors.Is(err, ErrFetchRefused) {
			t.Errorf("%s: err %v", u, err)
		}
	}
}

// A server that never answers ends in a failure that says so, within the
// deadline, and is not taken for a refusal.
func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	opt := testFetch
	opt.Timeout = 200 * time.Millisecond
	_, err := Fetch(context.Background(), srv.URL+"/slow", opt)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrFetchRefused) || !strings.Contains(err.Error(), "no complete answer within 200ms") {
		t.Errorf("err %v", err)
	}
}
