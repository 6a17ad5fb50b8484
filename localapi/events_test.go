package localapi_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

func TestEventStream(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  []int64 // jobs of the events received
	}{
		{"all", "", []int64{1, 2, 1}},
		{"one job", "?job=1", []int64{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := localapitest.New()
			srv := httptest.NewServer(localapi.NewHandler(b, zerolog.New(zerolog.NewTestWriter(t))))
			defer srv.Close()
			res, err := http.Get(srv.URL + "/v1/events" + tt.query)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if ct := res.Header.Get("Content-Type"); ct != api.ContentTypeNDJSON {
				t.Errorf("Content-Type = %q", ct)
			}
			if !b.WaitSubscribed(1, 5*time.Second) {
				t.Fatal("no subscription")
			}
			for i, job := range []int64{1, 2, 1} {
				b.Emit(api.Event{Seq: uint64(i + 1), Job: job, Type: api.EventProgress, SheetsDone: i, Sheets: 3})
			}
			b.End()
			sc := bufio.NewScanner(res.Body)
			var got []int64
			for sc.Scan() {
				var ev api.Event
				if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
				got = append(got, ev.Job)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("events for jobs %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("events for jobs %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestEventStreamFlushes checks that each event arrives while the stream is
// still open, not when it ends.
func TestEventStreamFlushes(t *testing.T) {
	b := localapitest.New()
	srv := httptest.NewServer(localapi.NewHandler(b, zerolog.Nop()))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if !b.WaitSubscribed(1, 5*time.Second) {
		t.Fatal("no subscription")
	}
	b.Emit(api.Event{Seq: 9, Job: 4, Type: api.EventInfo, Message: "hello"})
	type result struct {
		line string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(res.Body).ReadString('\n')
		got <- result{line, err}
	}()
	var line string
	select {
	case r := <-got:
		if r.err != nil {
			t.Fatal(r.err)
		}
		line = r.line
	case <-time.After(30 * time.Second):
		t.Fatal("event not flushed within 5s")
	}
	want := `{"seq":9,"time":"0001-01-01T00:00:00Z","job":4,"type":"info","message":"hello"}` + "\n"
	if line != want {
		t.Errorf("line = %q, want %q", line, want)
	}
	b.End()
}

func TestEventStreamHead(t *testing.T) {
	b := localapitest.New()
	h := localapi.NewHandler(b, zerolog.Nop())
	done := make(chan int, 1)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("HEAD", "/v1/events", nil))
		done <- rec.Code
	}()
	select {
	case code := <-done:
		if code != http.StatusOK {
			t.Errorf("HEAD /v1/events = %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("HEAD /v1/events did not return")
	}
	if b.WaitSubscribed(1, 10*time.Millisecond) {
		t.Error("HEAD subscribed to events")
	}
}
