package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
	"github.com/minsheng/minsheng/curated"
	"github.com/minsheng/minsheng/retrieval"
)

// auditLogName is the staff pages' audit log in the data folder.
const auditLogName = "admin-audit.jsonl"

// liveAnswerer is the answerer every channel holds: the staff pages swap
// in one built over the changed library, and the web page, Telegram and
// the LLM settings watch all move to it at once.
type liveAnswerer struct{ cur atomic.Pointer[bot.Answerer] }

func (l *liveAnswerer) get() *bot.Answerer { return l.cur.Load() }

// swap puts b in place; it keeps the LLM limits the settings watch last
// applied, which b, built from the start-up settings, would otherwise lose.
func (l *liveAnswerer) swap(b *bot.Answerer) {
	if old := l.get(); old != nil {
		b.SetLLMLimits(old.LLMLimits())
	}
	l.cur.Store(b)
}

// start puts in the answerer built at start-up, unless a document
// uploaded meanwhile already put in a newer one.
func (l *liveAnswerer) start(b *bot.Answerer) { l.cur.CompareAndSwap(nil, b) }

func (l *liveAnswerer) AnswerStream(ctx context.Context, req bot.Request, onDelta func(string)) (bot.Answer, error) {
	return l.get().AnswerStream(ctx, req, onDelta)
}
func (l *liveAnswerer) Documents() []retrieval.DocumentInfo { return l.get().Documents() }
func (l *liveAnswerer) Regions() [][]string                 { return l.get().Regions() }
func (l *liveAnswerer) Forget(conversation string)          { l.get().Forget(conversation) }
func (l *liveAnswerer) LLMLimits() bot.LLMLimits            { return l.get().LLMLimits() }
func (l *liveAnswerer) SetLLMLimits(x bot.LLMLimits)        { l.get().SetLLMLimits(x) }

// adminOptions are the staff pages of serve; nil without tokens. rebuild
// builds an answerer over the library as it is then.
// audit keeps the staff's changes; published is called after a document
// change is in place here, to share it with the other replicas.
func (c serveConfig) adminOptions(live *liveAnswerer, rebuild func(ctx context.Context) (*bot.Answerer, error), onErr func(error), audit bot.Journal, published, curatedChanged func()) (*web.Admin, error) {
	if len(c.AdminTokens) == 0 {
		return nil, nil
	}
	// A store of its own on the same file: the answerer's re-reads the
	// file when the staff change it.
	store, err := curated.OpenCounted(c.curatedDir(), c.CuratedCounter, onErr)
	if err != nil {
		return nil, fmt.Errorf("curated answers: %w", err)
	}
	return &web.Admin{
		Tokens:           c.AdminTokens,
		Library:          c.library(),
		Formats:          retrieval.Formats{PDF: c.pdfReader()},
		MaxDocumentBytes: c.MaxDocumentBytes,
		Curated:          store,
		CuratedChanged:   curatedChanged,
		Documents:        c.documents,
		// The regions of the index now serving: opening the one on disk
		// would rebuild it in the request while the library changes.
		Resolve: func(name string) ([][]string, error) {
			a := live.get()
			if a == nil {
				return nil, errors.New("the index is still loading; try again in a minute")
			}
			return a.ResolveRegion(name)
		},
		Audit:   audit,
		Fetch:   c.fetchOptions(),
		Rebuild: rebuild,
		Swap: func(b *bot.Answerer) web.Answerer {
			live.swap(b)
			published()
			return live
		},
		Serving: live.get,
	}, nil
}
