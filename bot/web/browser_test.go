package web_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
)

const chromiumPath = "/usr/bin/chromium"

// onCI reports whether the test runs in CI, where a missing browser is a
// broken setup (.ci/packages installs it), not a reason to skip.
func onCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "0" && v != "false"
}

// TestBrowserChat drives the real page in headless Chromium the way a
// resident would: type the question, send, read the answer, open a source
// card, vote. Set MINSHENG_SCREENSHOT_DIR to keep the screenshots.
func TestBrowserChat(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if onCI() {
			t.Fatalf("CI is set but %s is missing (%v): .ci/packages should have installed chromium", chromiumPath, err)
		}
		t.Skipf("skipping the browser test: %s not found; run .ci/packages (apt-get install chromium) to enable it", chromiumPath)
	}
	fbPath := filepath.Join(t.TempDir(), "feedback.jsonl")
	queue, err := bot.OpenQueue(filepath.Join(t.TempDir(), "unanswered.jsonl"), 0)
	if err != nil {
		t.Fatal(err)
	}
	srv := start(t, web.New(web.Options{Answerer: realAnswerer(t), Feedback: bot.NewFeedbackLog(fbPath, "salt"), Queue: queue}))

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// Without these the browser stalls on a closed network, trying to
		// reach Google's services.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(what, js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}

	// A phone: 412×915 CSS pixels, as a mid-range Android.
	step("open the page",
		chromedp.EmulateViewport(412, 915, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(chromedp.ID("q")),
	)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('#region option').length > 3`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("region picker not filled from /v1/regions: %v", err)
	}
	step("ask", chromedp.SendKeys(chromedp.ID("q"), dibaoQuestion), chromedp.Click(chromedp.ID("send")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`(() => { const a = document.querySelector('.msg.bot .answer');
		          return !!a && a.textContent.includes('850') && !!document.querySelector('.msg.bot details.source'); })()`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("no answer with 850 and a source card: %v\npage text: %s", err, eval("page text", `document.body.innerText`))
	}
	if got := eval("question bubble", `document.querySelector('.msg.user .bubble').textContent`); got != dibaoQuestion {
		t.Errorf("question bubble %q", got)
	}

	step("open the first source card", chromedp.Click(chromedp.CSS(".msg.bot details.source summary")))
	if got := eval("card state", `String(document.querySelector('.msg.bot details.source').open)`); got != "true" {
		t.Fatalf("source card did not open")
	}
	quote := eval("quote", `document.querySelector('.msg.bot details.source blockquote').innerText`)
	if !strings.Contains(quote, "850") {
		t.Errorf("quoted passage %q lacks 850", quote)
	}
	if title := eval("card title", `document.querySelector('.msg.bot details.source summary').innerText`); !strings.Contains(title, "浑南区") {
		t.Errorf("card title %q", title)
	}

	// The opened card scrolls into view (smoothly); wait until its quote is
	// on screen above the question box.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector('.msg.bot details.source blockquote').getBoundingClientRect().bottom <=
		 document.getElementById('log').getBoundingClientRect().bottom`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("the opened card's quote is not scrolled into view: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	checkPNG(t, shot, "chat.png")

	step("vote", chromedp.Click(chromedp.CSS(".msg.bot .feedback button")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('.msg.bot .feedback').textContent.includes('谢谢')`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("vote not acknowledged: %v", err)
	}
	if raw, err := os.ReadFile(fbPath); err != nil || !strings.Contains(string(raw), `"helpful":true`) {
		t.Errorf("vote not recorded: %q %v", raw, err)
	}

	// 👎 asks what was wrong; the reason chosen is recorded with the vote
	// in the feedback log and the unanswered queue.
	step("ask again", chromedp.SendKeys(chromedp.ID("q"), dibaoQuestion), chromedp.Click(chromedp.ID("send")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('.msg.bot .feedback').length === 2`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("no second answer: %v", err)
	}
	step("vote 👎", chromedp.Click(chromedp.CSS(`.msg.bot:last-child .feedback button[aria-label="没帮助"]`)))
	if got := eval("reasons", `Array.from(document.querySelectorAll('.msg.bot:last-child .feedback button')).map(b => b.textContent).join('|')`); got != "过时|答非所问|引用不对|其他" {
		t.Fatalf("reasons offered after 👎: %q", got)
	}
	step("choose 过时", chromedp.Click(chromedp.CSS(`.msg.bot:last-child .feedback button[data-reason="outdated"]`)))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('.msg.bot:last-child .feedback').textContent.includes('谢谢')`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("👎 not acknowledged: %v", err)
	}
	if raw, err := os.ReadFile(fbPath); err != nil || !strings.Contains(string(raw), `"helpful":false`) || !strings.Contains(string(raw), `"reason":"过时"`) {
		t.Errorf("👎 with its reason not in the feedback log: %q %v", raw, err)
	}
	if es, err := queue.Entries(time.Time{}); err != nil || len(es) != 1 || es[0].Reason != "过时" ||
		len(es[0].Passages) == 0 || es[0].Passages[0].Section == "" || !strings.Contains(es[0].Region, "浑南区") {
		t.Errorf("👎 not queued with reason, passages and region: %+v %v", es, err)
	}

	step("large text", chromedp.Click(chromedp.ID("size")))
	if got := eval("root font size", `getComputedStyle(document.documentElement).fontSize`); got != "22px" {
		t.Errorf("large text: root font size %s, want 22px", got)
	}
	if got := eval("page width", `String(document.documentElement.scrollWidth <= window.innerWidth)`); got != "true" {
		t.Errorf("the page scrolls sideways on a phone")
	}
	shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	checkPNG(t, shot, "chat-large.png")

	if n := eval("errors", `String(document.querySelectorAll('.msg.error').length)`); n != "0" {
		t.Errorf("%s error messages on the page", n)
	}
}

// checkPNG checks that the screenshot is a real picture of a phone screen
// and keeps it.
func checkPNG(t *testing.T, data []byte, name string) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", name, err)
	}
	b := img.Bounds()
	if b.Dx() < 400 || b.Dy() < 800 || len(data) < 20_000 {
		t.Errorf("%s: %dx%d, %d bytes: too small to show the page", name, b.Dx(), b.Dy(), len(data))
	}
	// A blank page compresses to almost nothing and has one colour.
	first := img.At(b.Min.X, b.Min.Y)
	same := true
	for y := b.Min.Y; y < b.Max.Y && same; y += 37 {
		for x := b.Min.X; x < b.Max.X; x += 29 {
			if img.At(x, y) != first {
				same = false
				break
			}
		}
	}
	if same {
		t.Errorf("%s is a single colour", name)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("MINSHENG_SCREENSHOT_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Errorf("keep screenshot: %v", err)
		}
	}
	t.Logf("screenshot %s: %dx%d, %d bytes", path, b.Dx(), b.Dy(), len(data))
}
