package retrieval

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// Encodings lists the names --encoding takes, for messages and help.
const Encodings = "utf-8, gbk, gb18030, utf-16le, utf-16be, big5"

// namedEncodings are the text encodings ingest reads. Big5 is here but is
// never guessed: its bytes decode as GB18030 too, so only a person who
// knows the file can name it.
var namedEncodings = map[string]encoding.Encoding{
	"utf-8":    unicode.UTF8,
	"utf8":     unicode.UTF8,
	"gbk":      simplifiedchinese.GBK,
	"gb2312":   simplifiedchinese.GBK, // GBK reads every GB2312 file
	"cp936":    simplifiedchinese.GBK,
	"gb18030":  simplifiedchinese.GB18030,
	"utf-16le": unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM),
	"utf-16be": unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM),
	"big5":     traditionalchinese.Big5,
}

// CheckEncoding reports whether ingest reads the named encoding.
func CheckEncoding(name string) error {
	if _, ok := namedEncodings[strings.ToLower(strings.TrimSpace(name))]; !ok {
		return fmt.Errorf("unknown encoding %q: use one of %s", name, Encodings)
	}
	return nil
}

// maxUndecodable is the share of characters that may fail to decode as
// GB18030 before a file is refused rather than guessed: a stray bad byte
// in a long GBK notice is kept as �, a file in another encoding is not
// turned into nonsense.
const maxUndecodable = 0.01

// decodeText turns raw bytes into UTF-8 text. named (from --encoding) wins;
// otherwise a byte-order mark decides, then bytes that are valid UTF-8 are
// UTF-8, and anything else is read as GB18030, which also covers GBK and
// GB2312. It returns the encoding used.
func decodeText(raw []byte, named string) (string, string, error) {
	if named != "" {
		name := strings.ToLower(strings.TrimSpace(named))
		enc, ok := namedEncodings[name]
		if !ok {
			return "", "", CheckEncoding(named)
		}
		if enc == unicode.UTF8 {
			raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
			if !utf8.Valid(raw) {
				return "", "", fmt.Errorf("%w: not valid UTF-8 although --encoding utf-8 was given; leave --encoding out to have it detected, or name another (%s)", ErrUnreadable, Encodings)
			}
			return string(raw), name, nil
		}
		return decodeWith(enc, name, raw)
	}
	switch {
	case bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")):
		return decodeText(raw, "utf-8")
	case bytes.HasPrefix(raw, []byte("\xff\xfe")):
		return decodeWith(namedEncodings["utf-16le"], "utf-16le", raw[2:])
	case bytes.HasPrefix(raw, []byte("\xfe\xff")):
		return decodeWith(namedEncodings["utf-16be"], "utf-16be", raw[2:])
	case bytes.Count(raw, []byte{0}) > len(raw)/8:
		// Zero bytes are valid UTF-8 but never text: this is UTF-16
		// without its mark, or not text at all.
		return "", "", fmt.Errorf("%w: the text is full of zero bytes, as UTF-16 without a byte-order mark is; give --encoding utf-16le or utf-16be", ErrUnreadable)
	case utf8.Valid(raw):
		return string(raw), "utf-8", nil
	}
	return decodeWith(simplifiedchinese.GB18030, "gb18030", raw)
}

func hasBOM(raw []byte) bool {
	return bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) || bytes.HasPrefix(raw, []byte("\xff\xfe")) || bytes.HasPrefix(raw, []byte("\xfe\xff"))
}

func decodeWith(enc encoding.Encoding, name string, raw []byte) (string, string, error) {
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return "", "", fmt.Errorf("%w: not readable as %s: %v", ErrUnreadable, name, err)
	}
	text := string(out)
	bad, all := strings.Count(text, "\ufffd")-bytes.Count(raw, []byte("\xef\xbf\xbd")), utf8.RuneCountInString(text)
	if bad > 0 && float64(bad) > maxUndecodable*float64(all) {
		return "", "", fmt.Errorf("%w: %d of %d characters do not decode as %s; give the file's encoding with --encoding (%s)", ErrUnreadable, bad, all, name, Encodings)
	}
	return text, name, nil
}
