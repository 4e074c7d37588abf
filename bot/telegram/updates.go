package telegram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Updates are read here before the library sees them, in webhook and in
// polling mode alike. The library logs an update it cannot decode through
// its errors handler with the whole body, question text included, and in
// polling mode it then asks for the same updates again for ever. So an
// update that does not parse is logged here by its update_id and the kind
// of failure only, and kept from the library: the webhook refuses it, and
// polling passes on its update_id alone, so that the offset moves past it.

// badUpdate is an update that does not parse, described with nothing the
// sender wrote in it.
type badUpdate struct {
	id    int64
	hasID bool
	// kind is "not_json", "no_update_id", "wrong_type" or "invalid".
	kind string
	// field is the JSON path of a value of the wrong type, such as
	// "message.message_id": a name of the Bot API, not sender's text.
	field string
}

func (e *badUpdate) Error() string {
	s := "malformed update (" + e.kind
	if e.field != "" {
		s += " at " + e.field
	}
	return s + ")"
}

// logAttrs are the update's log attributes: its ID when it has one, and
// the kind of failure.
func (e *badUpdate) logAttrs() []any {
	var attrs []any
	if e.hasID {
		attrs = append(attrs, "update_id", e.id)
	}
	attrs = append(attrs, "kind", e.kind)
	if e.field != "" {
		attrs = append(attrs, "field", e.field)
	}
	return attrs
}

// decodeUpdate parses one update as the library will.
func decodeUpdate(raw []byte) (*models.Update, *badUpdate) {
	var head struct {
		UpdateID *int64 `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) && typ.Field == "update_id" {
			return nil, &badUpdate{kind: "wrong_type", field: typ.Field}
		}
		return nil, &badUpdate{kind: "not_json"}
	}
	if head.UpdateID == nil {
		return nil, &badUpdate{kind: "no_update_id"}
	}
	var upd models.Update
	if err := json.Unmarshal(raw, &upd); err != nil {
		bad := &badUpdate{id: *head.UpdateID, hasID: true, kind: "invalid"}
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			bad.kind, bad.field = "wrong_type", typ.Field
		}
		return nil, bad
	}
	return &upd, nil
}

// maxUpdatesBody bounds one getUpdates response: at most 100 updates of a
// few KiB each.
const maxUpdatesBody = 16 << 20

// screen is the HTTP transport of the library's client. It screens the
// updates of each getUpdates response (see above) and passes everything
// else through untouched.
type screen struct {
	next http.RoundTripper
	log  *slog.Logger
}

func (s *screen) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasSuffix(req.URL.Path, "/getUpdates") {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxUpdatesBody))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read getUpdates response: %w", err)
	}
	body = s.updates(body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// updates returns a getUpdates response with each update that does not
// parse replaced by its update_id alone, or dropped when even that is
// unreadable. A response that is not a list of updates is returned as it
// is, for the library to report (without its body: see libraryError).
func (s *screen) updates(body []byte) []byte {
	var r struct {
		OK     bool              `json:"ok"`
		Result []json.RawMessage `json:"result"`
	}
	if json.Unmarshal(body, &r) != nil || !r.OK {
		return body
	}
	kept := r.Result[:0]
	changed := false
	for _, raw := range r.Result {
		_, bad := decodeUpdate(raw)
		if bad == nil {
			kept = append(kept, raw)
			continue
		}
		changed = true
		s.log.Warn("malformed update ignored", bad.logAttrs()...)
		if bad.hasID {
			kept = append(kept, json.RawMessage(fmt.Sprintf(`{"update_id":%d}`, bad.id)))
		}
	}
	if !changed {
		return body
	}
	out, err := json.Marshal(map[string]any{"ok": true, "result": kept})
	if err != nil {
		return body
	}
	return out
}

// libraryError logs an error the library reports by itself (polling,
// webhook decoding). The library's decoding errors quote the whole update
// or response body, so for them only the kind of failure is logged; the
// others (network errors, Telegram's refusals) carry no text of a resident
// and are logged cleaned.
func (b *Bot) libraryError(err error) {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		b.log.Warn("bot api: malformed data", "kind", "wrong_type", "field", typ.Field)
	case errors.As(err, &syn) || strings.Contains(err.Error(), "decode"):
		b.log.Warn("bot api: malformed data", "kind", "not_json")
	default:
		b.log.Warn("bot api", "err", b.clean(err))
	}
}
