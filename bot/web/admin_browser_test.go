package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdmin drives the staff page in headless Chromium on a phone
// screen as a community worker would: sign in, upload a PDF notice and
// wait for the index, ask the chat page about it, take a question nobody
// answered from the queue, write a curated answer for it, and ask again.
// Set MINSHENG_SCREENSHOT_DIR to keep admin.png (the README's picture).
func TestBrowserAdmin(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if onCI() {
			t.Fatalf("CI is set but %s is missing (%v): .ci/packages should have installed chromium", chromiumPath, err)
		}
		t.Skipf("skipping the browser test: %s not found; run .ci/packages (apt-get install chromium) to enable it", chromiumPath)
	}
	pdf, err := filepath.Abs("../../retrieval/testdata/notice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	s := newAdminSite(t, 0)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
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
	ctx, cancel := context.WithTimeout(bctx, 120*time.Second)
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
	wait := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
			t.Fatalf("%s: %v\npage text: %s", what, err, eval("page text", `document.body.innerText`))
		}
	}
	ask := func(q string, n int) string {
		t.Helper()
		step("ask "+q, chromedp.SendKeys(chromedp.ID("q"), q), chromedp.Click(chromedp.ID("send")))
		wait("answer to "+q, `(() => { const a = document.querySelectorAll('.msg.bot .answer');
			return a.length === `+itoa(n)+` && document.querySelectorAll('.msg.bot .feedback').length === `+itoa(n)+`; })()`)
		return eval("answer", `Array.from(document.querySelectorAll('.msg.bot')).pop().innerText`)
	}

	step("open the staff page",
		chromedp.EmulateViewport(412, 915, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/admin"),
		chromedp.WaitVisible(chromedp.ID("token")),
	)
	step("sign in with a wrong token", chromedp.SendKeys(chromedp.ID("token"), "not-the-token-000000"), chromedp.Click(chromedp.ID("signin-go")))
	wait("refused", `document.getElementById('signin-error').textContent.includes('口令')`)
	step("sign in", chromedp.SetValue(chromedp.ID("token"), aliceToken), chromedp.Click(chromedp.ID("signin-go")),
		chromedp.WaitVisible(chromedp.ID("upload")))
	if who := eval("who", `document.getElementById('who').textContent`); who != "alice" {
		t.Errorf("signed in as %q", who)
	}
	if got := eval("sign-in form", `String(document.getElementById('signin').offsetParent === null)`); got != "true" {
		t.Errorf("the sign-in form still shows after signing in")
	}

	step("upload the PDF", chromedp.SetUploadFiles(chromedp.ID("file"), []string{pdf}), chromedp.Click(chromedp.ID("upload-go")))
	wait("index rebuilt", `document.getElementById('status').dataset.state === 'ready' && document.getElementById('status').dataset.version === '1'
		&& Array.from(document.querySelectorAll('#doc-list li')).some(li => li.dataset.source === 'notice.pdf')`)
	if msg := eval("upload message", `document.getElementById('upload-msg').textContent`); !strings.Contains(msg, "老年助餐补贴") {
		t.Errorf("upload message %q", msg)
	}
	if got := eval("uploaded document's row", `(() => { const li = Array.from(document.querySelectorAll('#doc-list li')).find(li => li.dataset.source === 'notice.pdf');
		return [li.querySelector('.validity').textContent, !!li.querySelector('button.remove'), !!li.querySelector('button.supersede')].join('|'); })()`); got != "浑民发〔2024〕7号 · 施行 2024-04-01 · 现行有效|true|true" {
		t.Errorf("uploaded document's validity and buttons: %q", got)
	}
	if got := eval("built-in rows", `String(Array.from(document.querySelectorAll('#doc-list li')).filter(li => li.dataset.source !== 'notice.pdf').some(li => li.querySelector('button.remove')))`); got != "false" {
		t.Errorf("a built-in document offers 删除")
	}
	if got := eval("page width", `String(document.documentElement.scrollWidth <= window.innerWidth)`); got != "true" {
		t.Errorf("the staff page scrolls sideways on a phone")
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	checkPNG(t, shot, "admin.png")

	// The chat page answers from the new notice.
	step("open the chat page", chromedp.Navigate(s.url+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	if got := ask("浑南区某某社区助餐补贴每人每月多少钱?", 1); !strings.Contains(got, "123") || !strings.Contains(got, "notice.pdf") && !strings.Contains(got, "老年助餐补贴") {
		t.Errorf("answer from the PDF: %q", got)
	}
	// A question the notice does not settle; the resident says so with 👎.
	const open = "某某社区助餐补贴的饭菜能送到家里吗?"
	ask(open, 2)
	step("vote 👎", chromedp.Click(chromedp.CSS(`.msg.bot:last-child .feedback button[aria-label="没帮助"]`)))
	step("choose 其他", chromedp.Click(chromedp.CSS(`.msg.bot:last-child .feedback button[data-reason="other"]`)))
	wait("vote acknowledged", `document.querySelector('.msg.bot:last-child .feedback').textContent.includes('谢谢')`)

	// The staff page remembers the token for the session.
	step("back to the staff page", chromedp.Navigate(s.url+"/admin"), chromedp.WaitVisible(chromedp.ID("upload")))
	step("open the queue", chromedp.Click(chromedp.CSS(`nav button[data-tab="queue"]`)))
	wait("queue listed", `Array.from(document.querySelectorAll('#queue-list li.group .title')).some(e => e.textContent === '`+open+`')`)
	step("take it to a curated answer", chromedp.Click(chromedp.CSS(`#queue-list li.group .from-queue`)))
	if got := eval("prefilled question", `document.getElementById('pair-q').value`); got != open {
		t.Errorf("question prefilled %q", got)
	}
	step("write the answer",
		chromedp.SetValue(chromedp.ID("pair-a"), "行动不便的老年人可向社区服务站申请送餐上门,助餐补贴每人每月123元照常抵扣。"),
		chromedp.SetValue(chromedp.ID("pair-s"), "notice.pdf"),
		chromedp.Click(chromedp.ID("pair-go")))
	wait("saved", `document.getElementById('pair-msg').textContent.includes('已保存')`)
	wait("listed", `document.getElementById('pair-list').textContent.includes('`+open+`')`)

	step("open the chat page again", chromedp.Navigate(s.url+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	if got := ask(open, 1); !strings.Contains(got, "社区整理的答复") || !strings.Contains(got, "送餐上门") {
		t.Errorf("curated answer not given: %q", got)
	}
	audit := s.auditLines(t)
	if len(audit) != 2 || audit[0].Action != "document.add" || audit[1].Action != "curated.save" || audit[1].Who != "alice" {
		t.Errorf("audit: %+v", audit)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
