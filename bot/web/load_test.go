package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minsheng/minsheng/bot"
	"github.com/minsheng/minsheng/bot/web"
)

// Bounds of BenchmarkAskLoad: however large b.N grows, the run stops after
// this many requests or this long, so it cannot hog a CI machine.
const (
	loadClients     = 50
	loadMaxRequests = 20_000
	loadMaxTime     = 2 * time.Minute
)

// loadQuestions mix districts, cities and topics, so the load is not one
// cached path.
var loadQuestions = []string{
	dibaoQuestion,
	"浑南区的社区老年人助餐服务覆盖率目标是多少?",
	"浑南区家庭医生团队有多少个?",
	"浑南区新建几个区域性居家养老服务中心?",
	"沈阳要建成多少套保障房?",
	"大连的低保标准每年提高多少?",
	"沙河口区养老服务有什么措施?",
	"襄阳的社会治理创新有哪些重点工程?",
}

// BenchmarkAskLoad runs 50 concurrent clients against /v1/ask (extractive
// answers) over loopback, and reports throughput, latency quantiles and the
// heap in use before and after the run (after a GC; the index itself is most
// of it). Any failed request fails the benchmark.
//
//	go test -run '^$' -bench AskLoad -benchtime 2000x ./bot/web/
func BenchmarkAskLoad(b *testing.B) {
	srv := httptest.NewServer(web.New(web.Options{Answerer: realAnswerer(b)}))
	defer srv.Close()
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: loadClients, MaxConnsPerHost: loadClients},
		Timeout:   30 * time.Second,
	}
	defer client.CloseIdleConnections()
	bodies := make([]string, len(loadQuestions))
	for i, q := range loadQuestions {
		raw, _ := json.Marshal(map[string]string{"question": q})
		bodies[i] = string(raw)
		// Warm up: the segmenter's dictionary and the connection pool.
		if err := askOnce(client, srv.URL, bodies[i]); err != nil {
			b.Fatalf("warm-up %q: %v", q, err)
		}
	}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	n := min(b.N, loadMaxRequests)
	latencies := make([]time.Duration, n)
	var next, failed atomic.Int64
	var firstErr error
	var errOnce sync.Once
	deadline := time.Now().Add(loadMaxTime)

	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range loadClients {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				err := askOnce(client, srv.URL, bodies[i%len(bodies)])
				latencies[i] = time.Since(t0)
				if err != nil {
					failed.Add(1)
					errOnce.Do(func() { firstErr = err })
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()

	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d requests failed; first: %v", f, n, firstErr)
	}
	done := slices.DeleteFunc(latencies, func(d time.Duration) bool { return d == 0 })
	if len(done) < n {
		b.Logf("stopped after %v: %d of %d requests done", loadMaxTime, len(done), n)
	}
	slices.Sort(done)
	quantile := func(q float64) float64 {
		return float64(done[min(len(done)-1, int(q*float64(len(done))))].Microseconds()) / 1000
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(len(done))/elapsed.Seconds(), "req/s")
	b.ReportMetric(quantile(0.50), "p50-ms")
	b.ReportMetric(quantile(0.99), "p99-ms")
	b.ReportMetric(float64(before.HeapInuse)/(1<<20), "heap-before-MB")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-inuse-MB")
	b.ReportMetric(0, "errors")
}

// askOnce asks one question and checks that an answer came back.
func askOnce(c *http.Client, base, body string) error {
	resp, err := c.Post(base+"/v1/ask", "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, truncate(string(raw), 200))
	}
	var ans bot.Answer
	if err := json.Unmarshal(raw, &ans); err != nil {
		return err
	}
	if ans.Answer == "" {
		return fmt.Errorf("empty answer to %s", body)
	}
	return nil
}
