package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// The chat page is embedded so that the binary is the whole deployment:
// no CDN, no external fonts, nothing fetched from another origin.
//
//go:embed static
var static embed.FS

// assets serves the embedded files with content-hash ETags, so browsers
// revalidate cheaply and never run a stale script after an upgrade.
type assets struct {
	files map[string]asset
	// csp and frameOptions are the index page's framing policy.
	csp          string
	frameOptions string
}

type asset struct {
	body  []byte
	etag  string
	ctype string
}

func mustLoadAssets(frameAncestors []string) *assets {
	ancestors, xfo := framing(frameAncestors)
	a := &assets{files: map[string]asset{}, csp: contentSecurity + ancestors, frameOptions: xfo}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[strings.TrimPrefix(p, "static/")] = asset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: ctype}
		return nil
	})
	if err != nil {
		panic("web: embedded page: " + err.Error()) // a build defect, not a runtime condition
	}
	return a
}

// contentSecurity allows only this origin's script, style and fetches: the
// page shows text from documents and answers, and even if some of it were
// ever rendered as markup by mistake, it could not run. frame-ancestors is
// added per server (Options.FrameAncestors).
const contentSecurity = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors "

// frameOrigin is an origin a page may be framed by: http(s), a host (or a
// *. wildcard of one) and perhaps a port; nothing that could end the CSP
// directive or add another.
var frameOrigin = regexp.MustCompile(`^https?://(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$`)

// ParseFrameAncestors reads a list of origins separated by spaces or commas
// (MINSHENG_FRAME_ANCESTORS), e.g. "https://www.hunnan.gov.cn 'self'", into
// Options.FrameAncestors. "" and "'none'" mean no site may frame the page.
func ParseFrameAncestors(s string) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		o, err := checkFrameAncestor(f)
		if err != nil {
			return nil, err
		}
		if o != "" {
			out = append(out, o)
		}
	}
	return out, nil
}

// checkFrameAncestor returns the origin as it goes into the policy; ""
// for 'none', which adds nothing.
func checkFrameAncestor(o string) (string, error) {
	o = strings.TrimSuffix(strings.TrimSpace(o), "/")
	switch {
	case o == "'none'" || o == "":
		return "", nil
	case o == "'self'":
		return o, nil
	case frameOrigin.MatchString(o):
		return strings.ToLower(o), nil
	}
	return "", fmt.Errorf("frame ancestor %q is not 'self' or an origin such as https://www.example.gov.cn", o)
}

// framing is the CSP frame-ancestors value and the X-Frame-Options header
// for origins. X-Frame-Options cannot name another site, so with such an
// origin it is left out and the CSP, which browsers prefer, decides.
func framing(origins []string) (ancestors, xfo string) {
	switch {
	case len(origins) == 0:
		return "'none'", "DENY"
	case len(origins) == 1 && origins[0] == "'self'":
		return "'self'", "SAMEORIGIN"
	}
	return strings.Join(origins, " "), ""
}

func (a *assets) index(w http.ResponseWriter, r *http.Request) {
	a.serve(w, r, "index.html")
}

func (a *assets) admin(w http.ResponseWriter, r *http.Request) {
	a.serve(w, r, "admin.html")
}

// ServeHTTP serves /assets/<name>.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.serve(w, r, strings.TrimPrefix(r.URL.Path, "/assets/"))
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request, name string) {
	f, ok := a.files[name]
	if !ok || name == "index.html" && r.URL.Path != "/" || name == "admin.html" && !strings.HasPrefix(r.URL.Path, "/admin") {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if name == "index.html" || name == "admin.html" {
		h.Set("Content-Security-Policy", a.csp)
		if a.frameOptions != "" {
			h.Set("X-Frame-Options", a.frameOptions)
		}
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.body))
}
