package retrieval

import (
	"context"
	"testing"
)

// Two documents say the same; the one out of force ranks second but is
// still found (a down-weight, not a filter).
func TestSearchPrefersInForce(t *testing.T) {
	text := "关于补贴的通知\n一、补贴标准\n1.对80周岁以上老人每月发放高龄津贴200元。\n"
	region := []string{"辽宁省", "沈阳市"}
	for _, tc := range []struct {
		name string
		old  Validity
	}{
		{"expired", Validity{Expires: "2020-12-31"}},
		{"superseded", Validity{SupersededBy: "b.txt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs := []Document{
				{Source: "a.txt", Title: "旧通知", Region: region, Date: "2019", Text: text, Validity: tc.old},
				{Source: "b.txt", Title: "新通知", Region: region, Date: "2024", Text: text},
			}
			ix, err := Build(context.Background(), docs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := ix.Search(context.Background(), PlainQuery("高龄津贴多少钱"))
			if err != nil {
				t.Fatal(err)
			}
			var order []string
			for _, h := range res.Hits {
				order = append(order, h.Source)
			}
			if len(order) < 2 || order[0] != "b.txt" || !contains(order, "a.txt") {
				t.Fatalf("hits %v: want b.txt first and a.txt still found", order)
			}
		})
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func TestParseValidity(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Validity
	}{
		{"effective and expiry", "文号:沈民发〔2024〕5号\n本通知自2024年3月1日起施行,有效期至2026年2月28日。", Validity{Number: "沈民发〔2024〕5号", Effective: "2024-03-01", Expires: "2026-02-28"}},
		{"repealed", "本办法于2025年1月1日废止。", Validity{Expires: "2024-12-31"}},
		{"another document repealed", "原《办法》同时废止。", Validity{}},
		{"nothing", "一、补贴标准", Validity{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseValidity(Clean(tc.text), tc.text)
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
