package retrieval

import (
	"fmt"
	"regexp"
	"time"
)

// Validity is what is known about whether a document is in force: its
// number (文号), when it takes effect and expires, and the document that
// replaces it. Empty fields are unknown; a document with none is taken to
// be in force.
type Validity struct {
	Number    string `json:"number,omitempty"`
	Effective string `json:"effective,omitempty"` // YYYY-MM-DD
	Expires   string `json:"expires,omitempty"`   // YYYY-MM-DD, the last day in force
	// SupersededBy is the library name (file name) of the document that
	// replaces this one.
	SupersededBy string `json:"superseded_by,omitempty"`
	// SupersededByTitle is that document's title, filled in by the index.
	SupersededByTitle string `json:"-"`
}

// OutOfForceWeight scales the score of a passage from a document that has
// expired or been superseded. It is a down-weight, not a filter: an old
// notice may still be the only one that speaks of a matter, and the answer
// then says it is out of force; where a current document speaks of the
// same matter, it comes first. Fused scores are sums of reciprocal ranks,
// so they lie close together: 0.5 sank a lapsed notice below passages of
// its parent region that do not answer at all, and the answer abstained.
const OutOfForceWeight = 0.8

// Expired reports whether the document's expiry date is before now's day.
func (v Validity) Expired(now time.Time) bool {
	if v.Expires == "" {
		return false
	}
	t, err := time.Parse("2006-01-02", v.Expires)
	return err == nil && now.After(t.AddDate(0, 0, 1))
}

// InForce reports whether nothing says the document has lapsed.
func (v Validity) InForce(now time.Time) bool { return v.SupersededBy == "" && !v.Expired(now) }

// Check validates the dates.
func (v Validity) Check() error {
	for _, d := range []struct{ name, val string }{{"effective", v.Effective}, {"expires", v.Expires}} {
		if d.val == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", d.val); err != nil {
			return fmt.Errorf("%s date %q is not YYYY-MM-DD", d.name, d.val)
		}
	}
	return nil
}

var (
	effectiveRe = regexp.MustCompile(`自(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日起(?:施行|实施|执行|生效)`)
	expiresRe   = regexp.MustCompile(`有效期至(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	repealedRe  = regexp.MustCompile(`本[^,。;,;]{0,8}?(?:于|自)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:起)?废止`)
)

// parseValidity reads the validity facts a text states: 文号 (found by
// Clean), 自…起施行, 有效期至… and …废止.
func parseValidity(c Cleaned, text string) Validity {
	v := Validity{Number: c.Number}
	if m := effectiveRe.FindStringSubmatch(text); m != nil {
		v.Effective = isoDate(m)
	}
	if m := expiresRe.FindStringSubmatch(text); m != nil {
		v.Expires = isoDate(m)
	} else if m := repealedRe.FindStringSubmatch(text); m != nil {
		// Repealed on that day: in force until the day before.
		t, err := time.Parse("2006-01-02", isoDate(m))
		if err == nil {
			v.Expires = t.AddDate(0, 0, -1).Format("2006-01-02")
		}
	}
	return v
}
