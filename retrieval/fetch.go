package retrieval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrFetchRefused marks a URL that is not fetched, or whose answer is not
// taken, because of what it is: a private address, too many redirects, a
// file over the size cap, a kind of file ingest does not read, a page the
// server says is missing. Trying again does not help; another URL may.
var ErrFetchRefused = errors.New("not fetched")

const (
	// DefaultFetchTimeout bounds one fetch, redirects, retries and the
	// body included: a government site slow enough to need more is better
	// saved by hand and added as a file.
	DefaultFetchTimeout = 60 * time.Second
	// maxRedirects is as many as a site moving a page and then to https
	// needs, and short of a loop.
	maxRedirects = 5
	// fetchAttempts bounds the tries of a fetch that failed on the way
	// (a reset connection, a 5xx, a 429): the first and two retries.
	fetchAttempts = 3
	// dialTimeout and headerTimeout bound the parts of one try that can
	// hang without the deadline of the whole being near.
	dialTimeout   = 10 * time.Second
	headerTimeout = 30 * time.Second
)

// FetchOptions bound what Fetch takes from the web.
type FetchOptions struct {
	// MaxBytes is the largest body taken; 0 is DefaultMaxDocumentBytes.
	MaxBytes int64
	// Timeout bounds the whole fetch; 0 is DefaultFetchTimeout.
	Timeout time.Duration
	// AllowPrivate lets loopback, private and link-local addresses be
	// fetched (an intranet site, a test server). Off, a URL cannot make the
	// server reach into its own network.
	AllowPrivate bool
	// Backoff is the wait before the first retry, doubled for the next;
	// 0 is one second.
	Backoff time.Duration
}

// Fetched is a document downloaded for ingest.
type Fetched struct {
	// Name is a file name for the library, with the extension of the
	// document's kind (.html, .pdf, .docx, .txt).
	Name string
	Raw  []byte
	// URL is where the document was found, after redirects.
	URL string
	// Charset is what the server declared in Content-Type, or "".
	Charset string
}

// Encoding is the server's charset when the bytes need one: not when they
// are UTF-8 already (a server's default often says otherwise), and only
// for an encoding ingest reads.
func (f Fetched) Encoding() string {
	cs := strings.ToLower(f.Charset)
	if _, ok := namedEncodings[cs]; !ok || cs == "utf-8" || utf8.Valid(f.Raw) {
		return ""
	}
	return cs
}

// contentKinds maps the media types ingest takes to a file extension.
var contentKinds = map[string]string{
	"text/html": ".html", "application/xhtml+xml": ".html",
	"text/plain": ".txt", "text/markdown": ".md",
	"application/pdf": ".pdf", "application/x-pdf": ".pdf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}

// genericTypes are what servers send for a download whose kind they do not
// know; the name and the first bytes then decide.
var genericTypes = map[string]bool{"": true, "application/octet-stream": true, "binary/octet-stream": true,
	"application/x-download": true, "application/force-download": true, "application/download": true}

// Fetch downloads a web page or a file for ingest, refusing what ingest
// must not take: addresses inside the server's own network (checked on the
// address actually dialled, so that neither a redirect nor a DNS answer
// changed after the check gets round it), more than five redirects, bodies
// over the size cap, and kinds of file other than HTML, PDF, .docx and
// plain text.
func Fetch(ctx context.Context, rawURL string, opt FetchOptions) (Fetched, error) {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxDocumentBytes
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultFetchTimeout
	}
	if opt.Backoff <= 0 {
		opt.Backoff = time.Second
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Fetched{}, fmt.Errorf("%w: %q is not an http or https URL", ErrFetchRefused, rawURL)
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	client := fetchClient(opt)
	defer client.CloseIdleConnections()
	wait := opt.Backoff
	for attempt := 1; ; attempt++ {
		f, retry, err := fetchOnce(ctx, client, u.String(), opt)
		if err == nil || !retry || attempt == fetchAttempts {
			if ctx.Err() != nil && err != nil && !errors.Is(err, ErrFetchRefused) {
				return Fetched{}, fmt.Errorf("fetch %s: no complete answer within %s: %w", rawURL, opt.Timeout, context.DeadlineExceeded)
			}
			return f, err
		}
		select {
		case <-ctx.Done():
			return Fetched{}, fmt.Errorf("fetch %s: no complete answer within %s (last try: %v): %w", rawURL, opt.Timeout, err, context.DeadlineExceeded)
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func fetchClient(opt FetchOptions) *http.Client {
	dialer := &net.Dialer{Timeout: dialTimeout}
	if !opt.AllowPrivate {
		dialer.Control = refusePrivate
	}
	transport := &http.Transport{
		// No proxy: the address dialled must be the one checked.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   dialTimeout,
		ResponseHeaderTimeout: headerTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          2,
	}
	return &http.Client{
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("%w: more than %d redirects", ErrFetchRefused, maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("%w: redirected to %s, not http or https", ErrFetchRefused, req.URL.Scheme)
			}
			return nil
		},
	}
}

// refusePrivate is the dialer's last word on an address: it sees the IP
// the name resolved to, for the first request and for every redirect.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot tell where %s is", ErrFetchRefused, address)
	}
	if ip := ap.Addr().Unmap(); !publicAddr(ip) {
		return fmt.Errorf("%w: %s is a loopback, private or reserved address (set MINSHENG_FETCH_ALLOW_PRIVATE=1 to fetch from your own network)", ErrFetchRefused, ip)
	}
	return nil
}

// reserved are ranges that are neither private nor loopback by Go's
// reckoning but still reach no public site: carrier NAT, "this network",
// benchmarking, the IETF's own, the old class E, and NAT64, which can wrap
// any of the others.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

func publicAddr(ip netip.Addr) bool {
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// fetchOnce makes one try; retry says whether another may do better.
func fetchOnce(ctx context.Context, client *http.Client, rawURL string, opt FetchOptions) (Fetched, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return Fetched{}, false, fmt.Errorf("%w: %v", ErrFetchRefused, err)
	}
	req.Header.Set("User-Agent", "minsheng-ingest/1 (+policy documents for a residents' Q&A bot)")
	req.Header.Set("Accept", "text/html, application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document, text/plain;q=0.9")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, ErrFetchRefused) {
			return Fetched{}, false, fmt.Errorf("fetch %s: %w", rawURL, unwrapRefusal(err))
		}
		return Fetched{}, ctx.Err() == nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return Fetched{}, true, fmt.Errorf("fetch %s: the server answered %s", final, resp.Status)
	case resp.StatusCode >= 400:
		return Fetched{}, false, fmt.Errorf("%w: %s: the server answered %s", ErrFetchRefused, final, resp.Status)
	case resp.StatusCode >= 300:
		return Fetched{}, false, fmt.Errorf("%w: %s: the server answered %s without a usable redirect", ErrFetchRefused, final, resp.Status)
	}
	if resp.ContentLength > opt.MaxBytes {
		return Fetched{}, false, fmt.Errorf("%w: %w", ErrFetchRefused, CheckSize(final, resp.ContentLength, opt.MaxBytes))
	}
	media, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	media = strings.ToLower(media)
	ext, known := contentKinds[media]
	if !known && !genericTypes[media] {
		return Fetched{}, false, fmt.Errorf("%w: %s is %s; ingest takes web pages, PDF, .docx and plain text", ErrFetchRefused, final, media)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, opt.MaxBytes+1))
	if err != nil {
		return Fetched{}, ctx.Err() == nil, fmt.Errorf("fetch %s: reading the answer: %w", final, err)
	}
	if int64(len(body)) > opt.MaxBytes {
		return Fetched{}, false, fmt.Errorf("%w: %s: %w: more than the cap of %s (MINSHENG_MAX_DOCUMENT_BYTES)", ErrFetchRefused, final, ErrTooLarge, sizeText(opt.MaxBytes))
	}
	if err := CheckSize(final, int64(len(body)), opt.MaxBytes); err != nil {
		return Fetched{}, false, fmt.Errorf("%w: %w", ErrFetchRefused, err)
	}
	name := downloadName(resp)
	if !known {
		// A generic download: its name must say PDF or .docx, and its first
		// bytes must agree.
		ext = strings.ToLower(path.Ext(name))
		if (ext != ".pdf" || !bytes.HasPrefix(body, []byte("%PDF-"))) && (ext != ".docx" || !bytes.HasPrefix(body, []byte("PK\x03\x04"))) {
			return Fetched{}, false, fmt.Errorf("%w: %s was sent as %q and is not recognisably a PDF or .docx", ErrFetchRefused, final, media)
		}
	}
	if e := strings.ToLower(path.Ext(name)); e != ext {
		if Supported(name) || pageScripts[e] {
			name = strings.TrimSuffix(name, path.Ext(name))
		}
		name += ext
	}
	return Fetched{Name: name, Raw: body, URL: final, Charset: params["charset"]}, false, nil
}

// unwrapRefusal keeps the refusal's own words, without the layers of URL
// and dial errors around it.
func unwrapRefusal(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.HasPrefix(e.Error(), ErrFetchRefused.Error()) {
			return e
		}
	}
	return err
}

// pageScripts are the extensions of pages made by a program on the server;
// the name keeps their stem and takes the extension of what was sent.
var pageScripts = map[string]bool{".jsp": true, ".jspx": true, ".php": true, ".asp": true, ".aspx": true,
	".shtml": true, ".xhtml": true, ".do": true, ".action": true, ".cgi": true}

// maxNameRunes keeps library names short enough for any file system.
const maxNameRunes = 100

// downloadName is the name the server gives (Content-Disposition), else the
// last part of the URL's path, else the host; only letters, digits, '.',
// '-' and '_' are kept.
func downloadName(resp *http.Response) string {
	name := ""
	if _, p, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		name = path.Base(strings.ReplaceAll(p["filename"], `\`, "/"))
	}
	if name == "" || name == "." || name == "/" {
		name = path.Base(resp.Request.URL.Path)
	}
	if name == "" || name == "." || name == "/" {
		name = resp.Request.URL.Hostname()
	}
	clean := []rune(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name))
	if len(clean) > maxNameRunes {
		ext := []rune(path.Ext(string(clean)))
		clean = append(clean[:maxNameRunes-len(ext)], ext...)
	}
	out := strings.TrimLeft(string(clean), "._")
	if out == "" {
		out = "page"
	}
	return out
}
