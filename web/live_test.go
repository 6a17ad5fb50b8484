package web

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
)

// TestEventsStreamAsSSE: a logged-in page's event stream carries the
// backend's events as Server-Sent Events, and the overview shows a
// printer's progress from them.
func TestEventsStreamAsSSE(t *testing.T) {
	f := newFixture(t)
	ck := f.login("vic")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.c.Run(ctx)
	if !f.b.WaitSubscribed(1, time.Minute) {
		t.Fatal("the console does not follow the events")
	}
	srv := httptest.NewServer(f.c)
	defer srv.Close()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/events", nil)
	req.AddCookie(ck)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, ct)
	}
	if !f.b.WaitSubscribed(1, time.Minute) {
		t.Fatal("the stream did not subscribe")
	}
	f.b.Emit(api.Event{Seq: 9, Job: 1, Type: api.EventProgress, SheetsDone: 40, Sheets: 100, Printer: "lp1"})
	sc := bufio.NewScanner(res.Body)
	var got []string
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "data:") {
		got = append(got, sc.Text())
	}
	got = append(got, sc.Text())
	want := []string{"retry: 2000", "", "id: 9", "event: omsd", `data: {"job":1,"type":"progress","printer":"lp1","text":"job 1: 40 of 100 sheets on lp1"}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stream:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// After logout the stream ends at its next event.
	f.do("POST", "/logout", nil, ck)
	f.b.Emit(api.Event{Seq: 10, Job: 1, Type: api.EventState, State: "held"})
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"held"`) {
			t.Error("the stream carried an event after logout")
		}
	}
	// lp1 is sending nothing in the fake, so its row shows no progress;
	// the follower has the event all the same.
	deadline := time.Now().Add(time.Minute)
	for {
		if ev, ok := f.c.live.progressOf("lp1"); ok && ev.SheetsDone == 40 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the console's follower did not note lp1's progress")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sending is the fake with lp1 sending job 1.
type sending struct{ *counting }

func (b sending) Printers(ctx context.Context) ([]api.Printer, error) {
	ps, err := b.counting.Printers(ctx)
	ps[0].Sending = "job 1 output main"
	return ps, err
}

// TestOverviewShowsProgress: a printer that is sending shows the sheets
// done of its output, from the last progress event.
func TestOverviewShowsProgress(t *testing.T) {
	f := newFixture(t)
	f.c.b = sending{f.b}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.c.Run(ctx)
	if !f.b.WaitSubscribed(1, time.Minute) {
		t.Fatal("the console does not follow the events")
	}
	f.b.Emit(api.Event{Seq: 9, Job: 1, Type: api.EventProgress, SheetsDone: 40, Sheets: 1200, Printer: "lp1"})
	ck := f.login("vic")
	deadline := time.Now().Add(time.Minute)
	for {
		doc, _ := f.get("/", ck)
		row := rowsOf(t, doc, "printers")[0]
		if strings.Contains(row, "job 1 output main") && strings.Contains(row, "40 / 1,200 sheets") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lp1's row: %q", row)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
