package retrieval

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

const gbkNotice = "关于浑南区某某社区助餐补贴的通知\n发布日期:2024-03-01\n一、补贴标准\n1.某某社区助餐补贴每人每月123元。\n"

func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeText(t *testing.T) {
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	utf16be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	// 𠀀 needs GB18030's four-byte form: GBK has no code for it.
	rare := "𠀀字库外的字:" + gbkNotice
	tests := []struct {
		name    string
		raw     []byte
		named   string
		want    string
		wantEnc string
		err     string
	}{
		{"utf-8", []byte(gbkNotice), "", gbkNotice, "utf-8", ""},
		{"utf-8 with BOM", append([]byte("\xef\xbb\xbf"), gbkNotice...), "", gbkNotice, "utf-8", ""},
		{"gbk detected as gb18030", encode(t, simplifiedchinese.GBK, gbkNotice), "", gbkNotice, "gb18030", ""},
		{"gb18030 four-byte", encode(t, simplifiedchinese.GB18030, rare), "", rare, "gb18030", ""},
		{"utf-16le BOM", append([]byte("\xff\xfe"), encode(t, utf16le, gbkNotice)...), "", gbkNotice, "utf-16le", ""},
		{"utf-16be BOM", append([]byte("\xfe\xff"), encode(t, utf16be, gbkNotice)...), "", gbkNotice, "utf-16be", ""},
		{"utf-16le named", encode(t, utf16le, gbkNotice), "UTF-16LE", gbkNotice, "utf-16le", ""},
		{"big5 named", encode(t, traditionalchinese.Big5, "關於社區助餐補貼的通知"), "big5", "關於社區助餐補貼的通知", "big5", ""},
		{"gbk named", encode(t, simplifiedchinese.GBK, gbkNotice), "gbk", gbkNotice, "gbk", ""},
		{"utf-16 without BOM", encode(t, utf16le, "notice 123"), "", "", "", "--encoding utf-16le"},
		{"utf-8 named but gbk", encode(t, simplifiedchinese.GBK, gbkNotice), "utf-8", "", "", "not valid UTF-8"},
		{"undecodable", []byte("\x80\x80\x80\x80\xff\xffabc"), "", "", "", "do not decode as gb18030"},
		{"unknown name", []byte("x"), "latin-1", "", "", "unknown encoding"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, enc, err := decodeText(tc.raw, tc.named)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || enc != tc.wantEnc {
				t.Errorf("got %q as %s, want %q as %s", got, enc, tc.want, tc.wantEnc)
			}
		})
	}
}

// Big5 is never guessed: its bytes are read as GB18030, as the order
// BOM → UTF-8 → GB18030 says, and come out as other characters.
func TestBig5OnlyWhenNamed(t *testing.T) {
	raw := encode(t, traditionalchinese.Big5, "關於社區助餐補貼的通知")
	got, enc, err := decodeText(raw, "")
	if err == nil && (enc == "big5" || got == "關於社區助餐補貼的通知") {
		t.Errorf("Big5 guessed: %q as %s", got, enc)
	}
}

func TestParseFileGBK(t *testing.T) {
	raw := encode(t, simplifiedchinese.GBK, gbkNotice)
	d, err := ParseFile("notice.txt", raw, Meta{}, knownRegions)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "关于浑南区某某社区助餐补贴的通知" || d.Date != "2024-03-01" || !strings.Contains(d.Text, "123元") {
		t.Errorf("got %q %q %q", d.Title, d.Date, d.Text)
	}
	// --encoding names it; a wrong name is refused, not guessed around.
	if _, err := (Formats{Encoding: "utf-8"}).Parse(t.Context(), "notice.txt", raw, Meta{}, knownRegions); !errors.Is(err, ErrUnreadable) {
		t.Errorf("named utf-8 on GBK bytes: %v", err)
	}
	// A GBK page declares its charset in a <meta>; it is believed.
	page := `<html><head><meta charset="gbk"><title>通知</title></head><body><h1>关于浑南区某某社区助餐补贴的通知</h1><p>发布日期:2024-03-01</p><p>1.某某社区助餐补贴每人每月123元。</p></body></html>`
	d, err = ParseFile("notice.html", encode(t, simplifiedchinese.GBK, page), Meta{}, knownRegions)
	if err != nil || d.Title != "关于浑南区某某社区助餐补贴的通知" || !strings.Contains(d.Text, "123元") {
		t.Errorf("GBK page: %v %q %q", err, d.Title, d.Text)
	}
}

func FuzzDecodeText(f *testing.F) {
	f.Add([]byte(gbkNotice), "")
	f.Add(encode(f, simplifiedchinese.GBK, gbkNotice), "")
	f.Add([]byte("\xff\xfe\x00"), "")
	f.Add([]byte("\x81\x30"), "gb18030")
	f.Add([]byte{0xa4, 0x40}, "big5")
	f.Fuzz(func(t *testing.T, raw []byte, named string) {
		text, _, err := decodeText(raw, named)
		if err == nil && !utf8.ValidString(text) {
			t.Errorf("decoded text is not UTF-8: %q", text)
		}
	})
}
