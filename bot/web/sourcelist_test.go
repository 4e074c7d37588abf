package web

import (
	"strings"
	"testing"

	"github.com/minsheng/minsheng/bot"
)

func TestSourceListSuggestions(t *testing.T) {
	if got := sourceList(bot.Answer{Suggestions: []string{"浑南区低保标准是多少?"}}); !strings.Contains(got, "可以这样问:\n浑南区低保标准是多少?") {
		t.Errorf("suggestions missing: %q", got)
	}
	if got := sourceList(bot.Answer{}); got != "" {
		t.Errorf("empty answer gave %q", got)
	}
}
