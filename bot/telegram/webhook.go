package telegram

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
)

// secretHeader carries the webhook secret Telegram was given in setWebhook.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler receives updates in webhook mode; the HTTP server mounts
// it at WebhookPath (by default /telegram/webhook). It accepts only POSTs
// carrying the secret, compared in constant time before the body is read
// (the library's own check answers 200 and goes on), bodies up to 1 MiB,
// and updates that parse; dispatch answers each update_id once, since
// Telegram redelivers updates it thinks were lost. Without a WebhookURL it
// answers 404.
func (b *Bot) WebhookHandler() http.Handler {
	if b.opt.WebhookURL == "" {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "telegram webhook is not enabled", http.StatusNotFound)
		})
	}
	want := sha256.Sum256([]byte(b.opt.WebhookSecret))
	enqueue := b.tg.WebhookHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get(secretHeader)
		if got == "" {
			b.log.Warn("webhook request without the secret", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		// Hashing first makes the comparison independent of the length.
		gotSum := sha256.Sum256([]byte(got))
		if subtle.ConstantTimeCompare(gotSum[:], want[:]) != 1 {
			b.log.Warn("webhook request with a wrong secret", "remote", r.RemoteAddr)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "could not read the update", http.StatusBadRequest)
			return
		}
		// Read here, not by the library, which would log a body it cannot
		// decode and answer 200 for it. Refused with a 400, the update is
		// sent again, and is then answered if it parses: it is marked seen
		// only once dispatched.
		if _, bad := decodeUpdate(body); bad != nil {
			b.log.Warn("malformed update refused", bad.logAttrs()...)
			http.Error(w, "not a Telegram update", http.StatusBadRequest)
			return
		}
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
		enqueue(w, r2)
	})
}
