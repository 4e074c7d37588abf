package bot

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// queueAt opens a queue in a temporary folder whose clock reads *now.
func queueAt(t *testing.T, now *time.Time, retention time.Duration) *Queue {
	t.Helper()
	q, err := openQueue(filepath.Join(t.TempDir(), "unanswered.jsonl"), retention, func() time.Time { return *now })
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func allEntries(t *testing.T, q *Queue) []QueueEntry {
	t.Helper()
	es, err := q.Entries(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// Abstentions and "closest" answers from the real answerer enter the
// queue through Options.OnUnanswered, with the masked question, the region
// and the passages shown; answers do not.
func TestAnswererFillsQueue(t *testing.T) {
	seedAnswerer(t)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	q := queueAt(t, &now, 0)
	var mu sync.Mutex
	var hookErr error
	a := NewAnswerer(seedIndex, Options{Documents: seedIndex.Documents(), Now: func() time.Time { return now },
		OnUnanswered: func(req Request, ans Answer) {
			mu.Lock()
			defer mu.Unlock()
			if err := q.RecordAnswer(req, ans); err != nil {
				hookErr = err
			}
		}})
	tests := []struct {
		q        string
		decision string // "" = not queued
	}{
		{"我电话13812345678,社保卡丢了怎么补办?", QueueNone},
		{"大连今年养老金每人具体涨多少元?", QueueClosest},
		{"浑南区家庭医生团队有多少个?", ""},
		{"浑南和大连的低保标准各是多少?", ""},
		{"我不想活了", ""},
		{"我不想活了,北京的养老金标准是多少?", ""},
	}
	var want []string
	for _, tc := range tests {
		ans, err := a.Answer(context.Background(), Request{Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(tc.q, "不想活") && ans.Route != RouteCrisis {
			t.Fatalf("%s: route %q, want the crisis route", tc.q, ans.Route)
		}
		if Unanswered(ans) != (tc.decision != "") || tc.decision != "" && ans.Confidence != tc.decision {
			t.Fatalf("%s: confidence %q, want decision %q", tc.q, ans.Confidence, tc.decision)
		}
		if tc.decision != "" {
			want = append(want, tc.decision)
		}
	}
	if hookErr != nil {
		t.Fatal(hookErr)
	}
	es := allEntries(t, q)
	var got []string
	for _, e := range es {
		got = append(got, e.Decision)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("queued decisions %q, want %q", got, want)
	}
	none, closest := es[0], es[1]
	if strings.Contains(none.Question, "13812345678") || !strings.Contains(none.Question, "[手机号]") {
		t.Errorf("question not masked: %q", none.Question)
	}
	if !none.Time.Equal(now) || none.Reason != "" || none.Channel != "" {
		t.Errorf("none entry %+v", none)
	}
	if len(closest.Passages) == 0 || closest.Passages[0].Source == "" || closest.Passages[0].Section == "" {
		t.Errorf("closest entry lacks the passages shown: %+v", closest)
	}
	if !strings.Contains(closest.Region, "大连") {
		t.Errorf("closest entry region %q, want 大连", closest.Region)
	}
	raw, err := os.ReadFile(q.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "13812345678") {
		t.Errorf("the queue file holds a phone number:\n%s", raw)
	}
}

// A routed message (a crisis reply, a greeting) never enters the queue,
// whatever its confidence: not through the answerer's hook, not through
// RecordAnswer, not through a 👎.
func TestRoutedNeverQueued(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	q := queueAt(t, &now, 0)
	called := 0
	a := &Answerer{opt: Options{OnUnanswered: func(Request, Answer) { called++ }}}
	for _, route := range []string{"crisis", "greeting", "thanks"} {
		for _, conf := range []string{ConfidenceNone, ConfidenceClosest} {
			ans := Answer{Question: "我不想活了,低保怎么申请?", Confidence: conf, Abstained: conf == ConfidenceNone, Route: route}
			a.noteUnanswered(Request{Question: ans.Question}, ans)
			if err := q.RecordAnswer(Request{Question: ans.Question}, ans); err != nil {
				t.Fatal(err)
			}
		}
		err := q.RecordVote(Feedback{Channel: "web", Question: "我不想活了", Helpful: false, Reason: MsgReasonOther, Route: route})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Crisis wording is refused whatever the route a client claims.
	for _, e := range []QueueEntry{
		{Question: "我不想活了", Decision: QueueNone},
		{Question: "I want to kill myself", Decision: QueueClosest},
	} {
		if err := q.Record(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.RecordVote(Feedback{Channel: "web", Question: "活着没意思,低保怎么申请", Reason: MsgReasonOther}); err != nil {
		t.Fatal(err)
	}
	if called != 0 {
		t.Errorf("OnUnanswered called %d times for routed answers", called)
	}
	if es := allEntries(t, q); len(es) != 0 {
		t.Errorf("routed messages queued: %+v", es)
	}
	// The same answers without a route are queued, so the test can fail.
	a.noteUnanswered(Request{}, Answer{Confidence: ConfidenceNone})
	if called != 1 {
		t.Errorf("OnUnanswered called %d times for an abstention, want 1", called)
	}
}

// A 👎 enters the queue with its reason, channel, region and passages; a
// 👍 does not.
func TestVotesQueued(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	q := queueAt(t, &now, 0)
	for _, r := range DownvoteReasons {
		err := q.RecordVote(Feedback{Channel: "telegram", Question: "低保标准是多少?我身份证210102199001011234", Helpful: false,
			Reason: r.Label, Region: "辽宁省 › 沈阳市 › 浑南区", Shown: []Shown{{"001.txt", "二、重点任务"}, {"001.txt", "二、重点任务"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := q.RecordVote(Feedback{Channel: "web", Question: "低保标准是多少?", Helpful: true}); err != nil {
		t.Fatal(err)
	}
	if err := q.RecordVote(Feedback{Channel: "web", Question: "低保标准是多少?", Sources: []string{"002.txt"}}); err != nil {
		t.Fatal(err)
	}
	es := allEntries(t, q)
	if len(es) != len(DownvoteReasons)+1 {
		t.Fatalf("%d entries, want %d: %+v", len(es), len(DownvoteReasons)+1, es)
	}
	for i, r := range DownvoteReasons {
		e := es[i]
		if e.Decision != QueueDownvote || e.Reason != r.Label || e.Channel != "telegram" || e.Region != "辽宁省 › 沈阳市 › 浑南区" ||
			len(e.Passages) != 1 || e.Passages[0] != (Shown{"001.txt", "二、重点任务"}) || strings.Contains(e.Question, "210102") {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
	if last := es[len(es)-1]; last.Reason != "" || len(last.Passages) != 1 || last.Passages[0].Source != "002.txt" {
		t.Errorf("vote without reason or sections: %+v", last)
	}
}

func TestParseDownvoteReason(t *testing.T) {
	tests := []struct {
		in, label string
		ok        bool
	}{
		{"outdated", "过时", true},
		{"过时", "过时", true},
		{"off_topic", "答非所问", true},
		{"答非所问", "答非所问", true},
		{"wrong_citation", "引用不对", true},
		{"引用不对", "引用不对", true},
		{"other", "其他", true},
		{"其他", "其他", true},
		{"", "", false},
		{"Outdated", "", false},
		{"过时了", "", false},
		{"<script>", "", false},
	}
	for _, tc := range tests {
		label, ok := ParseDownvoteReason(tc.in)
		if label != tc.label || ok != tc.ok {
			t.Errorf("ParseDownvoteReason(%q) = %q, %v; want %q, %v", tc.in, label, ok, tc.label, tc.ok)
		}
	}
}

// Entries older than the retention are not listed and are dropped by
// Compact, and damaged lines with them; the rest stay as written.
func TestQueueRetention(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	q := queueAt(t, &now, 30*day)
	for _, age := range []time.Duration{40 * day, 31 * day, 29 * day, 1 * day, 0} {
		if err := q.Record(QueueEntry{Time: now.Add(-age), Question: "低保标准" + age.String(), Decision: QueueNone}); err != nil {
			t.Fatal(err)
		}
	}
	// A line cut short by a crash: the next append starts a new line.
	f, err := os.OpenFile(q.Path(), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"time":"2026-11-26T08:00:00Z","question":"断`)
	f.Close()
	if err := q.Record(QueueEntry{Question: "after the cut", Decision: QueueClosest}); err != nil {
		t.Fatal(err)
	}
	if n := len(allEntries(t, q)); n != 4 {
		t.Errorf("Entries within 30 days: %d, want 4 (29d, 1d, 0, after the cut)", n)
	}
	if es, _ := q.Entries(now.Add(-2 * day)); len(es) != 3 {
		t.Errorf("Entries of the last 2 days: %d, want 3", len(es))
	}

	res, err := q.Compact()
	if err != nil {
		t.Fatal(err)
	}
	if res != (CompactResult{Kept: 4, Expired: 2, Damaged: 1}) {
		t.Errorf("Compact = %+v, want 4 kept, 2 expired, 1 damaged", res)
	}
	raw, _ := os.ReadFile(q.Path())
	if strings.Count(string(raw), "\n") != 4 || strings.Contains(string(raw), "断") || strings.Contains(string(raw), "960h") {
		t.Errorf("file after compaction:\n%s", raw)
	}
	if st, err := os.Stat(q.Path()); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file mode after compaction: %v %v", st.Mode(), err)
	}
	if res, _ := q.Compact(); res != (CompactResult{Kept: 4}) {
		t.Errorf("second Compact = %+v", res)
	}

	// Ten days on, 29d is past 30 days: no longer listed, then dropped.
	now = now.Add(10 * day)
	es := allEntries(t, q)
	if len(es) != 3 || es[0].Question != "低保标准24h0m0s" {
		t.Errorf("entries 10 days later: %+v", es)
	}
	if res, err := q.Compact(); err != nil || res != (CompactResult{Kept: 3, Expired: 1}) {
		t.Errorf("Compact 10 days later = %+v, %v", res, err)
	}
	raw, _ = os.ReadFile(q.Path())
	if strings.Count(string(raw), "\n") != 3 {
		t.Errorf("compaction did not drop the expired entry:\n%s", raw)
	}
}

// Appends from many goroutines all arrive, each on its own line.
func TestQueueConcurrentAppends(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	q := queueAt(t, &now, 0)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := q.Record(QueueEntry{Question: strings.Repeat("问", i+1), Decision: QueueNone}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := len(allEntries(t, q)); n != 20 {
		t.Errorf("%d entries, want 20", n)
	}
}

func TestGroup(t *testing.T) {
	const hunnan = "辽宁省 › 沈阳市 › 浑南区"
	const dalian = "辽宁省 › 大连市"
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	type in struct {
		q, region, decision, reason string
	}
	type out struct {
		question string
		wordings []string
		region   string
		count    int
	}
	tests := []struct {
		name    string
		entries []in
		want    []out
	}{
		{"exact repeats",
			[]in{{"浑南区低保标准是多少?", hunnan, QueueNone, ""}, {"浑南区低保标准是多少?", hunnan, QueueNone, ""}},
			[]out{{"浑南区低保标准是多少?", nil, hunnan, 2}}},
		{"rewordings join, the most asked wording leads",
			[]in{{"请问老年助餐补贴怎么领", hunnan, QueueNone, ""}, {"老年助餐补贴如何领取?", hunnan, QueueClosest, ""},
				{"老年助餐补贴如何领取?", hunnan, QueueDownvote, MsgReasonOffTopic}},
			[]out{{"老年助餐补贴如何领取?", []string{"请问老年助餐补贴怎么领"}, hunnan, 3}}},
		{"place names and particles do not count",
			[]in{{"浑南区低保标准是多少?", hunnan, QueueNone, ""}, {"浑南的低保标准多少钱", hunnan, QueueNone, ""}},
			[]out{{"浑南的低保标准多少钱", []string{"浑南区低保标准是多少?"}, hunnan, 2}}},
		{"masked numbers do not count",
			[]in{{"我电话[手机号],低保标准是多少", hunnan, QueueNone, ""}, {"低保标准是多少?", hunnan, QueueNone, ""}},
			[]out{{"低保标准是多少?", []string{"我电话[手机号],低保标准是多少"}, hunnan, 2}}},
		{"joins through any wording of the group",
			[]in{{"老年助餐补贴", "", QueueNone, ""}, {"老年助餐补贴领取", "", QueueNone, ""}, {"助餐补贴领取", "", QueueNone, ""}},
			[]out{{"助餐补贴领取", []string{"老年助餐补贴领取", "老年助餐补贴"}, "", 3}}},
		{"same topic, different question",
			[]in{{"浑南区低保标准", hunnan, QueueNone, ""}, {"浑南区低保怎么申请?", hunnan, QueueNone, ""}},
			[]out{{"浑南区低保怎么申请?", nil, hunnan, 1}, {"浑南区低保标准", nil, hunnan, 1}}},
		{"two programmes",
			[]in{{"公租房怎么申请", hunnan, QueueNone, ""}, {"廉租房怎么申请", hunnan, QueueNone, ""}},
			[]out{{"廉租房怎么申请", nil, hunnan, 1}, {"公租房怎么申请", nil, hunnan, 1}}},
		{"same question, two regions",
			[]in{{"低保标准是多少?", hunnan, QueueNone, ""}, {"低保标准是多少?", dalian, QueueNone, ""}},
			[]out{{"低保标准是多少?", nil, dalian, 1}, {"低保标准是多少?", nil, hunnan, 1}}},
		{"traditional script folds",
			[]in{{"養老床位有多少張?", "", QueueNone, ""}, {"养老床位有多少张?", "", QueueNone, ""}},
			[]out{{"养老床位有多少张?", []string{"養老床位有多少張?"}, "", 2}}},
		{"nothing to compare: exact wording only",
			[]in{{"?", "", QueueNone, ""}, {"?", "", QueueNone, ""}, {"[手机号]", "", QueueNone, ""}},
			[]out{{"?", nil, "", 2}, {"[手机号]", nil, "", 1}}},
		{"most asked first",
			[]in{{"取暖补贴有吗", "", QueueNone, ""}, {"高龄津贴每月多少", "", QueueNone, ""}, {"高龄津贴每月多少", "", QueueNone, ""}},
			[]out{{"高龄津贴每月多少", nil, "", 2}, {"取暖补贴有吗", nil, "", 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var es []QueueEntry
			for i, e := range tc.entries {
				es = append(es, QueueEntry{Time: t0.Add(time.Duration(i) * time.Hour), Question: e.q, Region: e.region,
					Decision: e.decision, Reason: e.reason})
			}
			gs := Group(es)
			var got []out
			for _, g := range gs {
				got = append(got, out{g.Question, g.Wordings, g.Region, g.Count})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("groups %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i].question != tc.want[i].question || !slices.Equal(got[i].wordings, tc.want[i].wordings) ||
					got[i].region != tc.want[i].region || got[i].count != tc.want[i].count {
					t.Errorf("group %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// A group counts its decisions and reasons, spans its first and last
// entry, and lists the documents shown, most often first.
func TestGroupCounts(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	es := []QueueEntry{
		{Time: t0.Add(2 * time.Hour), Question: "低保标准是多少", Decision: QueueDownvote, Reason: MsgReasonOutdated,
			Passages: []Shown{{"002.txt", "一"}, {"001.txt", "二"}}},
		{Time: t0, Question: "低保标准是多少", Decision: QueueNone, Passages: []Shown{{"001.txt", "一"}, {"001.txt", "二"}}},
		{Time: t0.Add(time.Hour), Question: "低保标准是多少", Decision: QueueDownvote, Reason: MsgReasonOutdated},
	}
	gs := Group(es)
	if len(gs) != 1 {
		t.Fatalf("%d groups", len(gs))
	}
	g := gs[0]
	if g.Count != 3 || !g.First.Equal(t0) || !g.Last.Equal(t0.Add(2*time.Hour)) ||
		g.Decisions[QueueNone] != 1 || g.Decisions[QueueDownvote] != 2 || g.Reasons[MsgReasonOutdated] != 2 ||
		!slices.Equal(g.Sources, []string{"001.txt", "002.txt"}) {
		t.Errorf("group %+v", g)
	}
	rows := ExportRows(gs)
	want := []string{"低保标准是多少", "", "", "001.txt\n002.txt", "", "", ""}
	if len(rows) != 1 || !slices.Equal(rows[0], want) || len(rows[0]) != len(QueueExportColumns) {
		t.Errorf("export rows %q, want [%q]", rows, want)
	}
}

func TestRegionName(t *testing.T) {
	for in, want := range map[string]string{
		"辽宁省 › 沈阳市 › 浑南区":      "浑南区",
		"辽宁省 › 大连市":            "大连市",
		"浑南区":                  "浑南区",
		"辽宁省 › 沈阳市; 辽宁省 › 大连市": "辽宁省 › 沈阳市; 辽宁省 › 大连市",
	} {
		if got := regionName(in); got != want {
			t.Errorf("regionName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Grouping takes any text a resident typed (masked): it never panics, a
// question always joins a group holding its own wording, and similarity
// stays within [0, 1].
func FuzzGroup(f *testing.F) {
	for _, s := range []string{"浑南区低保标准是多少?", "我电话[手机号],低保标准", "?", "", "[手机号]", "養老床位", "a\xffb", "公租房,,,怎么申请"} {
		f.Add(s, "浑南区低保标准多少钱", "辽宁省 › 沈阳市 › 浑南区")
	}
	f.Fuzz(func(t *testing.T, a, b, region string) {
		ka, kb := questionKey(a, region), questionKey(b, region)
		if s := jaccard(ka, kb); s < 0 || s > 1 {
			t.Fatalf("jaccard %v", s)
		}
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		gs := Group([]QueueEntry{
			{Time: t0, Question: a, Region: region, Decision: QueueNone},
			{Time: t0.Add(time.Minute), Question: b, Region: region, Decision: QueueClosest},
			{Time: t0.Add(2 * time.Minute), Question: a, Region: region, Decision: QueueDownvote},
		})
		total := 0
		for _, g := range gs {
			total += g.Count
			if g.Count == 0 || g.Question == "" && a != "" && b != "" {
				t.Fatalf("group %+v", g)
			}
		}
		if total != 3 || len(gs) > 2 {
			t.Fatalf("groups %+v", gs)
		}
		for _, g := range gs {
			if g.Question == a || slices.Contains(g.Wordings, a) {
				if g.Count < 2 {
					t.Fatalf("the two askings of %q were split: %+v", a, gs)
				}
			}
		}
	})
}
