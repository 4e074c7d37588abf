package seeds

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadEmbedded(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Documents) != 5 {
		t.Fatalf("want 5 documents, got %d", len(c.Documents))
	}
}

func TestParseRejects(t *testing.T) {
	fsys := fstest.MapFS{"a.txt": {Data: []byte("x")}}
	// sha256("x")
	const sum = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
	entry := `{"file":"a.txt","title":"T","issuer":"I","region":["辽宁省"],"date":"2023-10-30","kind":"K","sha256":"` + sum + `"}`
	tests := []struct {
		name, raw, want string
	}{
		{"ok", `{"documents":[` + entry + `]}`, ""},
		{"unknown field", `{"documents":[` + strings.Replace(entry, `"kind"`, `"kinds"`, 1) + `]}`, "unknown field"},
		{"bad date", `{"documents":[` + strings.Replace(entry, "2023-10-30", "2023/10/30", 1) + `]}`, "date"},
		{"hash", `{"documents":[` + strings.Replace(entry, sum, strings.Repeat("0", 64), 1) + `]}`, "changed"},
		{"missing text", `{"documents":[` + strings.Replace(entry, "a.txt", "b.txt", 1) + `]}`, "b.txt"},
		{"empty", `{"documents":[]}`, "no documents"},
		{"trailing", `{"documents":[` + entry + `]} {}`, "trailing"},
		{"twice", `{"documents":[` + entry + `,` + entry + `]}`, "twice"},
		{"source url", `{"documents":[` + strings.Replace(entry, `"kind"`, `"source_url":"https://www.hunnan.gov.cn/a.html","kind"`, 1) + `]}`, ""},
		{"source url not http", `{"documents":[` + strings.Replace(entry, `"kind"`, `"source_url":"javascript:alert(1)","kind"`, 1) + `]}`, "source_url"},
		{"source url without host", `{"documents":[` + strings.Replace(entry, `"kind"`, `"source_url":"https:///a","kind"`, 1) + `]}`, "source_url"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.raw), fsys)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error containing %q, got %v", tc.want, err)
			}
		})
	}
}

func TestTextRejectsPaths(t *testing.T) {
	if _, err := Text("../go.mod"); err == nil {
		t.Fatal("want error for a path")
	}
}
