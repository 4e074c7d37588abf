package bot

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/minsheng/minsheng/judge"
	"github.com/minsheng/minsheng/retrieval/retrievaltest"
)

func TestZZDebug(t *testing.T) {
	qs := os.Getenv("ZZQ")
	if qs == "" {
		t.Skip()
	}
	a := NewAnswerer(retrievaltest.SeedIndex(t), Options{})
	for _, q := range strings.Split(qs, "|") {
		ev, err := a.retrieve(context.Background(), q, judge.Request{}, 10, false)
		if err != nil {
			t.Fatal(err)
		}
		d, rd := ev.Decision, ev.Reading
		var terms []string
		for _, tm := range rd.Terms {
			terms = append(terms, fmt.Sprintf("%s/%.1f/n%v", tm.Text, tm.Weight, tm.Noun))
		}
		fmt.Printf("Q %s\n judged=%q regions=%v foreign=%v fig=%v\n terms=%v\n => %s %s cov=%.2f key=%q names=%v anchored=%v figfound=%v\n",
			q, rd.Judged, rd.Regions, rd.Foreign, rd.AsksFigure, terms, d.Kind, d.Reason, d.Coverage, d.KeyTerm, d.KeyNames, d.Anchored, d.FigureFound)
		for i, h := range ev.Result.Hits {
			if i < 2 {
				fmt.Printf("   hit %s %.40s\n", h.Source, h.Text)
			}
		}
	}
}
