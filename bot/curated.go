package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/minsheng/minsheng/curated"
	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/retrieval"
)

// ModeCurated marks an answer a community worker wrote (see
// Options.Curated); the other modes are in answer.go.
const ModeCurated = "curated"

// CuratedSource holds the curated answers; *curated.Store is one.
type CuratedSource interface {
	// Load returns the pairs and a version that changes whenever they do.
	Load() ([]curated.Pair, int)
	// Hit counts one use of a pair.
	Hit(id string)
}

// curatedCache holds the readings of the curated questions and their
// wordings, made once for each version of the pairs.
type curatedCache struct {
	mu      sync.Mutex
	ready   bool
	version int
	pairs   []curated.Pair
	asked   [][]judge.Comparable
}

// readings returns the pairs with the prepared readings of each one's
// question and wordings.
func (a *Answerer) curatedReadings() ([]curated.Pair, [][]judge.Comparable) {
	pairs, version := a.opt.Curated.Load()
	c := &a.curated
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready && c.version == version {
		return c.pairs, c.asked
	}
	asked := make([][]judge.Comparable, len(pairs))
	for i, p := range pairs {
		for _, text := range append([]string{p.Question}, p.Wordings...) {
			if rd, err := a.reader.Read(text, judge.Request{}); err == nil {
				asked[i] = append(asked[i], a.reader.Comparable(rd))
			}
		}
	}
	c.ready, c.version, c.pairs, c.asked = true, version, pairs, asked
	return pairs, asked
}

// curatedAnswer answers q with the curated pair that asks the same thing
// for the region asked about, if there is one: before any search or LLM,
// since a community worker has written and checked it. A question leaning
// on the conversation, comparing regions or about a place no document
// covers is left to the documents.
func (a *Answerer) curatedAnswer(ctx context.Context, req Request, q string, start time.Time, onDelta func(string)) (Answer, bool) {
	if a.opt.Curated == nil {
		return Answer{}, false
	}
	rd, err := a.reader.Read(q, judge.Request{Region: req.Region})
	if err != nil || rd.Empty || rd.NeedsContext() || (len(rd.Foreign) > 0 && len(rd.Regions) == 0) {
		return Answer{}, false
	}
	region, ok := askedRegion(rd.Regions)
	if !ok {
		return Answer{}, false
	}
	p, ok := a.matchCurated(rd, region)
	if !ok {
		return Answer{}, false
	}
	ans := a.curatedReply(ctx, req, q, rd, p)
	a.opt.Curated.Hit(p.ID)
	conv := strings.Join(p.Region, "›")
	if conv == "" {
		conv = strings.Join(region, "›")
	}
	a.convs.Add(req.Conversation, Turn{Question: q, Query: truncateRunes(withoutPersonalClauses(q), maxTopicRunes), Region: conv})
	if onDelta != nil {
		onDelta(ans.Answer)
	}
	ans.Timing.Total = time.Since(start)
	ans.Timing.Retrieval = ans.Timing.Total
	return ans, true
}

// matchCurated finds the pair closest to the question among those in
// force for its region whose documents are all still there; of equally
// close ones, the one of the narrowest region.
func (a *Answerer) matchCurated(rd judge.Reading, region []string) (curated.Pair, bool) {
	pairs, asked := a.curatedReadings()
	if len(pairs) == 0 {
		return curated.Pair{}, false
	}
	q := a.reader.Comparable(rd)
	today := a.opt.Now().In(BeijingTime()).Format(time.DateOnly)
	best, bestSim := -1, 0.0
	for i, p := range pairs {
		if p.Expired(today) || !regionFits(p.Region, region) || !a.haveDocuments(p.Sources) {
			continue
		}
		for _, c := range asked[i] {
			sim, ok := a.reader.AsksSame(q, c)
			if !ok {
				continue
			}
			if best < 0 || sim > bestSim || (sim == bestSim && len(p.Region) > len(pairs[best].Region)) {
				best, bestSim = i, sim
			}
		}
	}
	if best < 0 {
		return curated.Pair{}, false
	}
	return pairs[best], true
}

// askedRegion is the one region a question is about: none, or the
// innermost of regions each inside the next (沈阳 … 浑南). ok is false for
// regions side by side (浑南和大连), which a comparison answers.
func askedRegion(paths [][]string) ([]string, bool) {
	var deepest []string
	for _, p := range paths {
		if len(p) > len(deepest) {
			deepest = p
		}
	}
	for _, p := range paths {
		if !retrieval.Within(deepest, p) {
			return nil, false
		}
	}
	return deepest, true
}

// regionFits reports whether a pair for region pair may answer a question
// about region asked: a pair for no region answers anywhere; one for a
// region answers a question about it, a region inside it or a region it
// lies in, and no question that names none.
func regionFits(pair, asked []string) bool {
	if len(pair) == 0 {
		return true
	}
	if len(asked) == 0 {
		return false
	}
	return retrieval.Within(asked, pair) || retrieval.Within(pair, asked)
}

// haveDocuments reports whether every source is a document answers can
// cite: a pair whose document was removed is not given.
func (a *Answerer) haveDocuments(sources []string) bool {
	for _, s := range sources {
		if _, ok := a.document(s); !ok {
			return false
		}
	}
	return len(sources) > 0
}

func (a *Answerer) document(source string) (retrieval.DocumentInfo, bool) {
	for _, d := range a.opt.Documents {
		if d.Source == source {
			return d, true
		}
	}
	return retrieval.DocumentInfo{}, false
}

// curatedReply is the answer of pair p: its label, its text with the
// marks of its sources, and a citation of each source quoting the
// sentence that holds the answer's figures, found through the index (or
// the document's title when the answer states no figure or none is found).
func (a *Answerer) curatedReply(ctx context.Context, req Request, q string, rd judge.Reading, p curated.Pair) Answer {
	figures := curated.Figures(p.Answer)
	cits := make([]Citation, 0, len(p.Sources))
	passages := []Passage{}
	marks := ""
	for i, src := range p.Sources {
		d, _ := a.document(src)
		c := Citation{N: i + 1, Source: src, Title: d.Title, Region: retrieval.RegionName(d.Region), Date: d.Date, Quote: d.Title}
		if h, sentence, ok := a.figureQuote(ctx, d, p.Answer, figures); ok {
			c.Section, c.Quote = h.Section, sentence
			passages = append(passages, passagesOf([]retrieval.Hit{h})...)
		}
		cits = append(cits, c)
		marks += fmt.Sprintf("[%d]", i+1)
	}
	place := curatedEverywhere
	if len(p.Region) > 0 {
		place = placeOf(p.Region)
	}
	body := withMarker(strings.TrimSpace(p.Answer), 1)
	if i := strings.LastIndex(body, "[1]"); i >= 0 {
		body = body[:i] + marks + body[i+len("[1]"):]
	}
	text := fmt.Sprintf(curatedLabel, p.Added, place) + "\n" + body
	if rd.Traditional {
		text = retrieval.Traditionalize(text)
	}
	return Answer{ID: req.ID, Question: q, Answer: text, Confidence: ConfidenceAnswer, Mode: ModeCurated,
		Region: retrieval.RegionName(p.Region), Citations: cits, Passages: passages}
}

// quoteDepth is how many passages of a source's region are searched for
// the sentence holding a curated answer's figures.
const quoteDepth = 30

// figureQuote finds, among the passages of document d that a search for
// the answer brings up, the sentence holding most of its figures.
func (a *Answerer) figureQuote(ctx context.Context, d retrieval.DocumentInfo, answer string, figures []string) (retrieval.Hit, string, bool) {
	if len(figures) == 0 {
		return retrieval.Hit{}, "", false
	}
	query := retrieval.PlainQuery(answer)
	query.AsksFigure, query.K = true, quoteDepth
	if len(d.Region) > 0 {
		query.Regions = [][]string{d.Region}
	}
	res, err := a.search.Search(ctx, query)
	if err != nil {
		return retrieval.Hit{}, "", false // the title stands in for the quote
	}
	var best retrieval.Hit
	bestSentence, most := "", 0
	for _, h := range res.Hits {
		if h.Source != d.Source {
			continue
		}
		for _, s := range retrieval.Sentences(h.Text) {
			n := 0
			for _, f := range figures {
				if curated.HasFigure(s, f) {
					n++
				}
			}
			if n > most {
				best, bestSentence, most = h, s, n
			}
		}
	}
	return best, bestSentence, most > 0
}
