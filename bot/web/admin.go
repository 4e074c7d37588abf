package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/curated"
	"github.com/minsheng/minsheng/retrieval"
)

// Admin configures the staff pages at /admin: documents, curated answers,
// the unanswered queue and the feedback. Without Tokens the pages and
// their API do not exist (404), so a deployment that never set them has
// no door to guard.
type Admin struct {
	// Tokens are the staff's tokens by name; the name goes into the audit
	// log, the token nowhere.
	Tokens map[string]string
	// Library is where uploaded documents are kept.
	Library retrieval.Library
	// Formats reads uploaded files.
	Formats retrieval.Formats
	// MaxDocumentBytes caps an upload (retrieval.CheckSize); the question
	// routes' 1 MiB does not apply here.
	MaxDocumentBytes int64
	// Curated holds the curated answers; nil hides them.
	Curated *curated.Store
	// CuratedChanged, when set, is called after the curated answers were
	// replaced, to share them with the other replicas.
	CuratedChanged func()
	// Documents returns every document (built-in and added), for the
	// checks of curated answers and the list of documents.
	Documents func() ([]retrieval.Document, error)
	// Resolve finds the regions a curated answer's region names; nil
	// refuses answers that name one.
	Resolve curated.Resolver
	// Rebuild builds an answerer over the library as it now is. The check
	// set runs on it and on the one serving; when answers about documents
	// the change did not touch lose their facts or their document, the
	// change is undone unless the request accepted that (accept=true), as
	// `minsheng ingest` and `documents` do. Otherwise it is swapped in.
	Rebuild func(ctx context.Context) (*bot.Answerer, error)
	// Swap puts a rebuilt answerer in place and returns what the server
	// answers with; nil answers with it directly.
	Swap func(*bot.Answerer) Answerer
	// Serving is the answerer serving now, for the check set before a
	// change; nil takes the server's own. Without one (still loading, or
	// no *bot.Answerer) a change is not checked.
	Serving func() *bot.Answerer
	// Audit is the audit log: one JSON line per change (a file of the data
	// folder, or PostgreSQL when replicas share it).
	Audit bot.Journal
	// Fetch bounds adding a document by URL, as `minsheng ingest URL`
	// does: private addresses refused unless AllowPrivate, the size cap
	// (0 takes MaxDocumentBytes).
	Fetch retrieval.FetchOptions
}

// Bounds of the admin routes.
const (
	// maxAdminJSON bounds a curated answer's JSON: a question, wordings
	// and an answer of a few paragraphs.
	maxAdminJSON = 64 << 10
	// maxSheetUpload bounds an imported sheet; one of curated answers is
	// far smaller.
	maxSheetUpload = 10 << 20
	// multipartSlack is what a multipart body adds to the file it carries.
	multipartSlack = 64 << 10
	// adminListMax bounds the queue groups and downvotes listed at once:
	// more than a page of work is not read.
	adminListMax = 50
	// uploadReadTimeout bounds reading an uploaded document: 50 MB at
	// about 1 Mbit/s.
	uploadReadTimeout = 10 * time.Minute
	// rebuildTimeout bounds an index rebuild after a change.
	rebuildTimeout = 30 * time.Minute
)

// rebuildState is what /admin/api/status reports of the index.
type rebuildState struct {
	State    string    `json:"state"` // "ready", "building", "failed" or "refused"
	Message  string    `json:"message,omitempty"`
	Since    time.Time `json:"since"`
	Version  int       `json:"version"`
	Building string    `json:"building,omitempty"` // what started the rebuild
	// Moves are the check questions whose answers moved in the last
	// rebuild; after a refusal, Refused names the changes undone.
	Moves   []checkMove     `json:"moves,omitempty"`
	Refused []pendingReport `json:"refused,omitempty"`
}

// checkMove is one check question that moved, as the page shows it.
type checkMove struct {
	ID     string `json:"id"`
	Q      string `json:"q"`
	Doc    string `json:"doc,omitempty"`
	Before string `json:"before"`
	After  string `json:"after"`
	Broken bool   `json:"broken,omitempty"` // lost its facts or its document
	Meant  bool   `json:"meant,omitempty"`  // about a superseded document
}

// pending is a change to the library not yet checked by a rebuild: what
// it touched, whether it was accepted, and how to undo it.
type pending struct {
	who, action, target string
	// names were added, replaced or removed; superseded marked superseded.
	names, superseded []string
	accept            bool
	snap              retrieval.Snapshot
}

type pendingReport struct {
	Who    string `json:"who"`
	Action string `json:"action"`
	Target string `json:"target"`
}

type admin struct {
	s    *Server
	opt  Admin
	hash map[string][32]byte

	mu      sync.Mutex // guards state, running, again, pending
	state   rebuildState
	running bool
	again   bool
	pending []pending
	change  sync.Mutex // serialises changes of the library, and their undoing
}

func (s *Server) adminRoutes() {
	if s.opt.Admin == nil || len(s.opt.Admin.Tokens) == 0 {
		return // the mux answers 404
	}
	a := &admin{s: s, opt: *s.opt.Admin, hash: map[string][32]byte{},
		state: rebuildState{State: "ready", Since: time.Now().UTC()}}
	for name, tok := range a.opt.Tokens {
		a.hash[name] = sha256.Sum256([]byte(tok))
	}
	if a.opt.MaxDocumentBytes <= 0 {
		a.opt.MaxDocumentBytes = retrieval.DefaultMaxDocumentBytes
	}
	if a.opt.Fetch.MaxBytes <= 0 {
		a.opt.Fetch.MaxBytes = a.opt.MaxDocumentBytes
	}
	s.mux.HandleFunc("GET /admin", s.page.admin)
	s.mux.HandleFunc("GET /admin/{$}", s.page.admin)
	a.route("GET /admin/api/whoami", func(w http.ResponseWriter, r *http.Request, who string) {
		writeJSON(w, http.StatusOK, map[string]string{"name": who})
	})
	a.route("GET /admin/api/status", a.status)
	a.route("GET /admin/api/documents", a.documents)
	a.route("POST /admin/api/documents", a.upload)
	a.route("POST /admin/api/documents/url", a.addURL)
	a.route("DELETE /admin/api/documents/{name}", a.remove)
	a.route("POST /admin/api/documents/{name}/supersede", a.supersede)
	a.route("GET /admin/api/curated", a.curatedList)
	a.route("POST /admin/api/curated", a.curatedSave)
	a.route("POST /admin/api/curated/import", a.curatedImport)
	a.route("GET /admin/api/queue", a.queue)
	a.route("GET /admin/api/feedback", a.feedback)
	a.route("/admin/api/", func(w http.ResponseWriter, r *http.Request, _ string) {
		jsonError(w, http.StatusNotFound, "没有这个接口。")
	})
}

// route registers an admin API route behind the staff tokens.
func (a *admin) route(pattern string, h func(w http.ResponseWriter, r *http.Request, who string)) {
	a.s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		who, ok := a.who(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="minsheng-admin"`)
			jsonError(w, http.StatusUnauthorized, "需要工作人员口令。")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r, who)
	})
}

// who names the staff member whose token the request carries. Every
// token is compared, in constant time on hashes, so that neither which
// one matched nor its length leaks through timing.
func (a *admin) who(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	found := ""
	for name, h := range a.hash {
		if subtle.ConstantTimeCompare(got[:], h[:]) == 1 {
			found = name
		}
	}
	return found, found != ""
}

// AuditRecord is one line of the audit log.
type AuditRecord struct {
	Time   time.Time `json:"time"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Detail string    `json:"detail,omitempty"`
}

// record appends a change to the audit log and syncs it: a change that
// cannot be recorded is reported to the staff member.
func (a *admin) record(who, action, target, detail string) error {
	if a.opt.Audit == nil {
		return errors.New("no audit log configured")
	}
	line, err := json.Marshal(AuditRecord{Time: time.Now().UTC(), Who: who, Action: action, Target: target, Detail: detail})
	if err != nil {
		return err
	}
	if err := a.opt.Audit.Append(line); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

func (a *admin) auditFailed(w http.ResponseWriter, err error) {
	a.s.log.Error("admin audit", "error", err)
	jsonError(w, http.StatusInternalServerError, "已完成修改,但审计日志写入失败,请联系管理员。")
}

func (a *admin) status(w http.ResponseWriter, r *http.Request, _ string) {
	a.mu.Lock()
	st := a.state
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
}

// rebuild builds a new answerer in the background, checks it and swaps it
// in; a change made while one runs starts another when it ends, so the
// last change is always in the index.
func (a *admin) rebuild(why string) {
	a.mu.Lock()
	a.state.Building = why
	if a.running {
		a.again = true
		a.mu.Unlock()
		return
	}
	a.running = true
	a.state.State, a.state.Message, a.state.Since = "building", "", time.Now().UTC()
	a.mu.Unlock()
	go func() {
		for {
			a.mu.Lock()
			batch := a.pending
			a.pending = nil
			a.mu.Unlock()
			ctx, cancel := context.WithTimeout(context.Background(), rebuildTimeout)
			moves, refused, err := a.build(ctx, batch)
			cancel()
			if err != nil {
				a.s.log.Error("admin rebuild", "error", bot.Mask(err.Error()))
			}
			a.mu.Lock()
			if a.again {
				a.again = false
				a.mu.Unlock()
				continue
			}
			a.running = false
			a.state.Since, a.state.Building = time.Now().UTC(), ""
			a.state.Version++
			a.state.Moves, a.state.Refused = moves, nil
			switch {
			case err != nil:
				a.state.State, a.state.Message = "failed", "索引重建失败,仍在使用之前的索引:"+bot.Mask(err.Error())
			case refused:
				a.state.State, a.state.Message = "refused", "修改已撤销:检查问题中,关于其他文件的回答失去了数字或出处。确认无误可“仍然提交”。"
				for _, p := range batch {
					a.state.Refused = append(a.state.Refused, pendingReport{Who: p.who, Action: p.action, Target: p.target})
				}
			default:
				a.state.State, a.state.Message = "ready", ""
			}
			a.mu.Unlock()
			return
		}
	}()
}

// build rebuilds the answerer and runs the check set on the one serving
// and on it; it swaps it in, or, when answers about untouched documents
// broke and not every change of batch was accepted, undoes the batch and
// keeps the one serving.
func (a *admin) build(ctx context.Context, batch []pending) (moves []checkMove, refused bool, err error) {
	defer func() {
		for _, p := range batch {
			p.snap.Discard()
		}
	}()
	before := a.serving()
	next, err := a.opt.Rebuild(ctx)
	if err != nil {
		return nil, false, err
	}
	if before != nil {
		var all []bot.CheckMove
		if all, err = a.check(ctx, before, next, batch); err != nil {
			return nil, false, err
		}
		accepted := true
		for _, p := range batch {
			accepted = accepted && p.accept
		}
		for _, m := range all {
			if m.Moved() || m.Broken {
				b, af := m.Sides()
				moves = append(moves, checkMove{ID: m.ID, Q: m.Q, Doc: m.Doc, Before: b, After: af, Broken: m.Broken, Meant: m.Meant})
			}
		}
		if bot.Broken(all) > 0 && !accepted {
			return moves, true, a.undo(batch, moves)
		}
	}
	if a.opt.Swap != nil {
		a.s.SetAnswerer(a.opt.Swap(next))
	} else {
		a.s.SetAnswerer(next)
	}
	return moves, false, nil
}

// serving is the answerer serving now, or nil.
func (a *admin) serving() *bot.Answerer {
	if a.opt.Serving != nil {
		return a.opt.Serving()
	}
	b, _ := a.s.current().(*bot.Answerer)
	return b
}

// check runs the check set before and after the changes of batch.
func (a *admin) check(ctx context.Context, before, after *bot.Answerer, batch []pending) ([]bot.CheckMove, error) {
	qs, err := bot.Checks()
	if err != nil {
		return nil, err
	}
	rb, err := bot.RunChecks(ctx, before, qs)
	if err != nil {
		return nil, fmt.Errorf("check set before the change: %w", err)
	}
	ra, err := bot.RunChecks(ctx, after, qs)
	if err != nil {
		return nil, fmt.Errorf("check set after the change: %w", err)
	}
	var names, superseded []string
	for _, p := range batch {
		names, superseded = append(names, p.names...), append(superseded, p.superseded...)
	}
	return bot.CompareChecks(qs, rb, ra, names, superseded), nil
}

// undo puts the library back as it was before the changes of batch, the
// last first, and audits each refusal with the moves.
func (a *admin) undo(batch []pending, moves []checkMove) error {
	a.change.Lock()
	defer a.change.Unlock()
	var lines []string
	for _, m := range moves {
		if m.Broken {
			lines = append(lines, fmt.Sprintf("%s %s: %s → %s", m.ID, m.Q, m.Before, m.After))
		}
	}
	var errs []error
	for i := len(batch) - 1; i >= 0; i-- {
		p := batch[i]
		if err := p.snap.Restore(); err != nil {
			errs = append(errs, fmt.Errorf("undo %s %s: %w", p.action, p.target, err))
		}
		if err := a.record(p.who, "document.refused", p.target, p.action+" undone: "+strings.Join(lines, "; ")); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

type adminDocument struct {
	Source string   `json:"source"`
	Title  string   `json:"title"`
	Issuer string   `json:"issuer,omitempty"`
	Date   string   `json:"date,omitempty"`
	Kind   string   `json:"kind,omitempty"`
	Region string   `json:"region,omitempty"`
	Path   []string `json:"region_path,omitempty"`
	Added  bool     `json:"added"` // in the library, not built in
	Chars  int      `json:"chars"`
	// The validity facts, as `minsheng documents show` prints them.
	Number       string `json:"number,omitempty"`
	Effective    string `json:"effective,omitempty"`
	Expires      string `json:"expires,omitempty"`
	SupersededBy string `json:"superseded_by,omitempty"`
	InForce      bool   `json:"in_force"`
}

func docInfo(d retrieval.Document, added bool) adminDocument {
	return adminDocument{Source: d.Source, Title: d.Title, Issuer: d.Issuer, Date: d.Date, Kind: d.Kind,
		Region: retrieval.RegionName(d.Region), Path: d.Region, Added: added, Chars: len([]rune(d.Text)),
		Number: d.Number, Effective: d.Effective, Expires: d.Expires, SupersededBy: d.SupersededBy,
		InForce: d.InForce(time.Now().In(bot.BeijingTime()))}
}

func (a *admin) documents(w http.ResponseWriter, r *http.Request, _ string) {
	docs, err := a.opt.Documents()
	if err != nil {
		a.s.log.Error("admin documents", "error", err)
		jsonError(w, http.StatusInternalServerError, "文件列表读取失败。")
		return
	}
	lib, err := a.opt.Library.Load()
	if err != nil {
		a.s.log.Error("admin library", "error", err)
		jsonError(w, http.StatusInternalServerError, "文件库读取失败。")
		return
	}
	added := map[string]bool{}
	for _, d := range lib {
		added[d.Source] = true
	}
	out := make([]adminDocument, 0, len(docs))
	for _, d := range docs {
		out = append(out, docInfo(d, added[d.Source]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": out})
}

// upload adds one document: read it (multipart field "file"), parse it
// with the formats, store it in the library atomically, then rebuild the
// index in the background (GET /admin/api/status shows progress).
func (a *admin) upload(w http.ResponseWriter, r *http.Request, who string) {
	if a.opt.Rebuild == nil {
		jsonError(w, http.StatusServiceUnavailable, "此服务没有配置文件库。")
		return
	}
	// The server's read timeout is sized for 1 MiB questions; a document
	// of tens of MB over a district office's line needs longer.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTimeout))
	r.Body = http.MaxBytesReader(w, r.Body, a.opt.MaxDocumentBytes+multipartSlack)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			jsonError(w, http.StatusRequestEntityTooLarge, retrieval.CheckSize("文件", a.opt.MaxDocumentBytes+1, a.opt.MaxDocumentBytes).Error())
			return
		}
		jsonError(w, http.StatusBadRequest, "请选择要上传的文件(表单字段 file)。")
		return
	}
	defer file.Close()
	name := filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	raw, err := io.ReadAll(io.LimitReader(file, a.opt.MaxDocumentBytes+1))
	if err != nil {
		jsonError(w, http.StatusBadRequest, "文件没有传完,请重试。")
		return
	}
	if err := retrieval.CheckSize(name, int64(len(raw)), a.opt.MaxDocumentBytes); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, retrieval.ErrTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		jsonError(w, status, err.Error())
		return
	}
	if !retrieval.Supported(name) {
		jsonError(w, http.StatusBadRequest, retrieval.Unsupported(name).Error())
		return
	}
	replace := r.FormValue("replace") == "1" || r.FormValue("replace") == "true"
	meta := retrieval.Meta{Title: r.FormValue("title"), Issuer: r.FormValue("issuer"), Date: r.FormValue("date")}
	a.store(w, r, who, name, raw, meta, replace, accepted(r.FormValue("accept")), a.opt.Formats, "")
}

// store parses an uploaded or fetched document, stores it in the library,
// audits the change and starts the rebuild; from is the URL it came from.
func (a *admin) store(w http.ResponseWriter, r *http.Request, who, name string, raw []byte, meta retrieval.Meta, replace, accept bool, formats retrieval.Formats, from string) {
	a.change.Lock()
	defer a.change.Unlock()
	docs, inLib, ok := a.current(w)
	if !ok {
		return
	}
	var known [][]string
	for _, d := range docs {
		known = append(known, d.Region)
	}
	doc, err := formats.Parse(r.Context(), name, raw, meta, known)
	if err != nil {
		if errors.Is(err, retrieval.ErrPDFEngine) {
			a.s.log.Error("admin upload", "error", err)
			jsonError(w, http.StatusInternalServerError, "PDF 读取组件出错,请稍后再试。")
			return
		}
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	for _, d := range docs {
		if d.Source == doc.Source && !inLib[d.Source] {
			jsonError(w, http.StatusConflict, doc.Source+" 与内置文件同名,请改名后再上传。")
			return
		}
	}
	if inLib[doc.Source] && !replace {
		jsonError(w, http.StatusConflict, doc.Source+" 已在文件库中;要替换请勾选“替换同名文件”。")
		return
	}
	action := "document.add"
	if inLib[doc.Source] {
		action = "document.replace"
	}
	p := pending{who: who, action: action, target: doc.Source, names: []string{doc.Source}, accept: accept}
	if !a.apply(w, &p, "admin upload", "文件没有保存:", func() error { return a.opt.Library.Add(doc, raw) }) {
		return
	}
	detail := fmt.Sprintf("《%s》 %d bytes", doc.Title, len(raw))
	if from != "" {
		detail += " from " + from
	}
	a.changed(w, p, detail, map[string]any{"document": docInfo(doc, true)})
}

// current reads every document and which of them are in the library;
// after an error it has answered the request.
func (a *admin) current(w http.ResponseWriter) ([]retrieval.Document, map[string]bool, bool) {
	docs, err := a.opt.Documents()
	if err != nil {
		a.s.log.Error("admin documents", "error", err)
		jsonError(w, http.StatusInternalServerError, "文件列表读取失败。")
		return nil, nil, false
	}
	lib, err := a.opt.Library.Load()
	if err != nil {
		a.s.log.Error("admin library", "error", err)
		jsonError(w, http.StatusInternalServerError, "文件库读取失败。")
		return nil, nil, false
	}
	inLib := map[string]bool{}
	for _, d := range lib {
		inLib[d.Source] = true
	}
	return docs, inLib, true
}

// accepted reads an accept field: the change stands even if check
// questions about other documents lose their answer.
func accepted(v string) bool { return v == "1" || v == "true" }

// apply snapshots what p touches and makes the change; after an error it
// has answered the request.
func (a *admin) apply(w http.ResponseWriter, p *pending, logAs, msg string, change func() error) bool {
	snap, err := a.opt.Library.Snapshot(p.names...)
	if err == nil {
		if err = change(); err != nil {
			snap.Discard()
		}
	}
	if err != nil {
		a.s.log.Error(logAs, "error", err)
		jsonError(w, http.StatusInternalServerError, msg+err.Error())
		return false
	}
	p.snap = snap
	return true
}

// changed audits a change made to the library, starts the rebuild, which
// checks it, and answers 202 with out.
func (a *admin) changed(w http.ResponseWriter, p pending, detail string, out map[string]any) {
	auditErr := a.record(p.who, p.action, p.target, detail)
	a.mu.Lock()
	a.pending = append(a.pending, p)
	a.mu.Unlock()
	a.rebuild(p.target)
	if auditErr != nil {
		a.auditFailed(w, auditErr)
		return
	}
	writeJSON(w, http.StatusAccepted, out)
}

// readAdminJSON decodes an admin request's JSON body into v, answering
// 415 or 400 itself when it cannot; it reports whether v was filled.
func readAdminJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if !isJSON(r.Header.Get("Content-Type")) {
		jsonError(w, http.StatusUnsupportedMediaType, "请求体需要是JSON。")
		return false
	}
	if e := readJSONLimit(w, r, v, true, maxAdminJSON); e != nil {
		jsonError(w, e.status, e.msg)
		return false
	}
	return true
}

// urlRequest is the body of POST /admin/api/documents/url.
type urlRequest struct {
	URL     string `json:"url"`
	Replace bool   `json:"replace"`
	Accept  bool   `json:"accept"`
}

// addURL fetches a document with the rules of `minsheng ingest URL` and
// stores it as an upload.
func (a *admin) addURL(w http.ResponseWriter, r *http.Request, who string) {
	if a.opt.Rebuild == nil {
		jsonError(w, http.StatusServiceUnavailable, "此服务没有配置文件库。")
		return
	}
	var in urlRequest
	if !readAdminJSON(w, r, &in) {
		return
	}
	if strings.TrimSpace(in.URL) == "" {
		jsonError(w, http.StatusBadRequest, "请填写文件的网址。")
		return
	}
	f, err := retrieval.Fetch(r.Context(), strings.TrimSpace(in.URL), a.opt.Fetch)
	if err != nil {
		if errors.Is(err, retrieval.ErrFetchRefused) {
			status := http.StatusBadRequest
			if errors.Is(err, retrieval.ErrTooLarge) {
				status = http.StatusRequestEntityTooLarge
			}
			jsonError(w, status, err.Error())
			return
		}
		a.s.log.Warn("admin fetch", "error", err)
		jsonError(w, http.StatusBadGateway, "没有下载到文件:"+err.Error())
		return
	}
	formats := a.opt.Formats
	if formats.Encoding == "" {
		formats.Encoding = f.Encoding()
	}
	a.store(w, r, who, f.Name, f.Raw, retrieval.Meta{}, in.Replace, in.Accept, formats, f.URL)
}

// remove takes an uploaded document out of the library; a built-in one
// can only be marked superseded, as in `minsheng documents remove`.
func (a *admin) remove(w http.ResponseWriter, r *http.Request, who string) {
	if a.opt.Rebuild == nil {
		jsonError(w, http.StatusServiceUnavailable, "此服务没有配置文件库。")
		return
	}
	name := r.PathValue("name")
	a.change.Lock()
	defer a.change.Unlock()
	docs, inLib, ok := a.current(w)
	if !ok {
		return
	}
	d, found := findDoc(docs, name)
	if !found {
		jsonError(w, http.StatusNotFound, fmt.Sprintf("没有名为 %q 的文件。", name))
		return
	}
	if !inLib[name] {
		jsonError(w, http.StatusConflict, retrieval.BuiltinNotRemovable(name))
		return
	}
	p := pending{who: who, action: "document.remove", target: name, names: []string{name}, accept: accepted(r.URL.Query().Get("accept"))}
	if !a.apply(w, &p, "admin remove", "文件没有删除:", func() error { return a.opt.Library.Remove(name) }) {
		return
	}
	a.changed(w, p, fmt.Sprintf("《%s》", d.Title), map[string]any{"removed": name})
}

// supersedeRequest is the body of POST /admin/api/documents/{name}/supersede.
type supersedeRequest struct {
	By     string `json:"by"`
	Accept bool   `json:"accept"`
}

// supersede marks a document, built in or added, replaced by another, as
// `minsheng documents supersede` does.
func (a *admin) supersede(w http.ResponseWriter, r *http.Request, who string) {
	if a.opt.Rebuild == nil {
		jsonError(w, http.StatusServiceUnavailable, "此服务没有配置文件库。")
		return
	}
	var in supersedeRequest
	if !readAdminJSON(w, r, &in) {
		return
	}
	name := r.PathValue("name")
	a.change.Lock()
	defer a.change.Unlock()
	docs, _, ok := a.current(w)
	if !ok {
		return
	}
	d, found := findDoc(docs, name)
	if !found {
		jsonError(w, http.StatusNotFound, fmt.Sprintf("没有名为 %q 的文件。", name))
		return
	}
	by, found := findDoc(docs, strings.TrimSpace(in.By))
	switch {
	case strings.TrimSpace(in.By) == "":
		jsonError(w, http.StatusBadRequest, "请填写取代它的文件名(by)。")
		return
	case !found:
		jsonError(w, http.StatusBadRequest, fmt.Sprintf("没有名为 %q 的文件,无法用它取代 %s。", in.By, name))
		return
	case by.Source == d.Source:
		jsonError(w, http.StatusBadRequest, "文件不能取代它自己。")
		return
	}
	p := pending{who: who, action: "document.supersede", target: d.Source, superseded: []string{d.Source}, accept: in.Accept}
	if !a.apply(w, &p, "admin supersede", "没有保存:", func() error { return a.opt.Library.Supersede(d.Source, by.Source) }) {
		return
	}
	a.changed(w, p, "superseded by "+by.Source,
		map[string]any{"superseded": d.Source, "by": by.Source})
}

func findDoc(docs []retrieval.Document, name string) (retrieval.Document, bool) {
	for _, d := range docs {
		if d.Source == name {
			return d, true
		}
	}
	return retrieval.Document{}, false
}

type adminPair struct {
	curated.Pair
	Hits    int  `json:"hits"`
	Expired bool `json:"expired"`
}

func today() string { return time.Now().In(bot.BeijingTime()).Format(time.DateOnly) }

func (a *admin) curatedList(w http.ResponseWriter, r *http.Request, _ string) {
	if a.opt.Curated == nil {
		jsonError(w, http.StatusServiceUnavailable, "此服务没有开启社区整理的答复。")
		return
	}
	pairs, _ := a.opt.Curated.Load()
	hits, err := a.opt.Curated.Hits()
	if err != nil {
		a.s.log.Warn("curated hits", "error", err)
	}
	day := today()
	out := make([]adminPair, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, adminPair{Pair: p, Hits: hits[p.ID], Expired: p.Expired(day)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Hits > out[j].Hits })
	writeJSON(w, http.StatusOK, map[string]any{"pairs": out})
}

// curatedRow is one answer as the page edits it: the columns of the
// spreadsheet.
type curatedRow struct {
	// Replaces is the ID of the pair edited, when its question changed.
	Replaces   string `json:"replaces"`
	Question   string `json:"question"`
	Wordings   string `json:"wordings"`
	Answer     string `json:"answer"`
	Sources    string `json:"sources"`
	Region     string `json:"region"`
	ValidUntil string `json:"valid_until"`
}

// curatedSave adds or edits one pair, with the checks of `faq import`: a
// figure of the answer must appear in its cited source.
func (a *admin) curatedSave(w http.ResponseWriter, r *http.Request, who string) {
	if a.opt.Curated == nil {
		jsonError(w, http.StatusServiceUnavailable, "此服务没有开启社区整理的答复。")
		return
	}
	var in curatedRow
	if !readAdminJSON(w, r, &in) {
		return
	}
	row := curated.Row{Line: 1, Question: in.Question, Wordings: in.Wordings, Answer: in.Answer,
		Sources: in.Sources, Region: in.Region, ValidUntil: in.ValidUntil, Author: who}
	a.importRows(w, who, "curated.save", []curated.Row{row}, in.Replaces)
}

// curatedImport imports a .csv or .xlsx sheet (multipart field "file"):
// all rows or, if any has a problem, none.
func (a *admin) curatedImport(w http.ResponseWriter, r *http.Request, who string) {
	if a.opt.Curated == nil {
		jsonError(w, http.StatusServiceUnavailable, "此服务没有开启社区整理的答复。")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSheetUpload+multipartSlack)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		jsonError(w, http.StatusBadRequest, "请选择 .xlsx 或 .csv 表格(表单字段 file)。")
		return
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, maxSheetUpload+1))
	if err != nil || len(raw) > maxSheetUpload {
		jsonError(w, http.StatusRequestEntityTooLarge, "表格太大或没有传完。")
		return
	}
	name := filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	rows, err := curated.ReadSheet(name, bytes.NewReader(raw))
	if err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	if len(rows) == 0 {
		jsonError(w, http.StatusBadRequest, name+" 表头下面没有内容,没有导入。")
		return
	}
	a.importRows(w, who, "curated.import", rows, "")
}

func (a *admin) importRows(w http.ResponseWriter, who, action string, rows []curated.Row, replaces string) {
	docs, err := a.opt.Documents()
	if err != nil {
		a.s.log.Error("admin documents", "error", err)
		jsonError(w, http.StatusInternalServerError, "文件列表读取失败。")
		return
	}
	resolve := a.opt.Resolve
	if resolve == nil {
		resolve = func(name string) ([][]string, error) { return nil, fmt.Errorf("不认识地区 %q", name) }
	}
	pairs, problems := curated.Check(rows, docs, resolve)
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.String()
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "没有导入:" + strings.Join(msgs, ";"), "problems": msgs})
		return
	}
	a.change.Lock()
	defer a.change.Unlock()
	old, _ := a.opt.Curated.Load()
	in := map[string]bool{replaces: replaces != ""}
	for _, p := range pairs {
		in[p.ID] = true
	}
	var merged []curated.Pair
	for _, p := range old {
		if !in[p.ID] {
			merged = append(merged, p)
		}
	}
	merged = append(merged, pairs...)
	if err := a.opt.Curated.Replace(merged, today()); err != nil {
		a.s.log.Error("admin curated", "error", err)
		jsonError(w, http.StatusInternalServerError, "保存失败:"+err.Error())
		return
	}
	if a.opt.CuratedChanged != nil {
		a.opt.CuratedChanged()
	}
	var ids []string
	for _, p := range pairs {
		ids = append(ids, p.ID)
	}
	if err := a.record(who, action, strings.Join(ids, ","), fmt.Sprintf("%d pairs", len(pairs))); err != nil {
		a.auditFailed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"saved": len(pairs), "ids": ids})
}

func (a *admin) queue(w http.ResponseWriter, r *http.Request, _ string) {
	if a.s.opt.Queue == nil {
		writeJSON(w, http.StatusOK, map[string]any{"groups": []bot.QueueGroup{}})
		return
	}
	groups, err := a.s.opt.Queue.Groups(time.Time{})
	if err != nil {
		a.s.log.Error("admin queue", "error", err)
		jsonError(w, http.StatusInternalServerError, "待答问题读取失败。")
		return
	}
	if len(groups) > adminListMax {
		groups = groups[:adminListMax]
	}
	if groups == nil {
		groups = []bot.QueueGroup{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": groups})
}

func (a *admin) feedback(w http.ResponseWriter, r *http.Request, _ string) {
	if a.s.opt.Feedback == nil {
		writeJSON(w, http.StatusOK, map[string]any{"downvotes": []bot.Downvote{}})
		return
	}
	votes, err := a.s.opt.Feedback.Downvotes(adminListMax)
	if err != nil {
		a.s.log.Error("admin feedback", "error", err)
		jsonError(w, http.StatusInternalServerError, "反馈读取失败。")
		return
	}
	if votes == nil {
		votes = []bot.Downvote{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"downvotes": votes})
}

// ParseAdminTokens reads MINSHENG_ADMIN_TOKENS, "name:token,…". Names
// must be unique and tokens long enough not to be guessed.
func ParseAdminTokens(s string) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		name, tok, ok := strings.Cut(f, ":")
		name, tok = strings.TrimSpace(name), strings.TrimSpace(tok)
		switch {
		case !ok || name == "" || tok == "":
			return nil, fmt.Errorf("entry %d is not name:token", len(out)+1)
		case !printableASCII(name) && !utf8Name(name):
			return nil, fmt.Errorf("name %q has spaces or control characters", name)
		case len(tok) < MinAdminTokenLen:
			return nil, fmt.Errorf("the token of %s is shorter than %d characters", name, MinAdminTokenLen)
		case out[name] != "":
			return nil, fmt.Errorf("name %s appears twice", name)
		case seen[tok]:
			return nil, fmt.Errorf("two names share a token; each person needs their own")
		}
		out[name] = tok
		seen[tok] = true
	}
	return out, nil
}

// MinAdminTokenLen is the shortest staff token taken: the admin API can
// change what residents are told, so a token must resist guessing.
const MinAdminTokenLen = 16

func utf8Name(s string) bool {
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}
	return true
}
