package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/minsheng/minsheng/retrieval"
)

func TestValidityNotes(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		v    retrieval.Validity
		want string
	}{
		{"in force", retrieval.Validity{Expires: "2030-12-31"}, ""},
		{"expired", retrieval.Validity{Expires: "2020-01-01"}, "已于2020-01-01失效"},
		{"superseded", retrieval.Validity{SupersededBy: "b.txt", SupersededByTitle: "新通知"}, "已被《新通知》取代"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(validityNotes(tc.v, now), ",")
			if got != tc.want {
				t.Errorf("notes %q, want %q", got, tc.want)
			}
		})
	}
}

func TestChecksDecode(t *testing.T) {
	qs, err := Checks()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 15 || len(qs) > 25 {
		t.Errorf("%d check questions, want 15–25", len(qs))
	}
}
