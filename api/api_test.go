package api

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"
	"time"
)

// keys returns the sorted top-level keys of v's JSON encoding.
func keys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sorted(s ...string) []string {
	sort.Strings(s)
	return s
}

var jobKeys = []string{"id", "name", "workflow", "printer", "state", "state_reasons", "source",
	"pieces", "pages", "sheets", "sheets_sent", "attempts", "created", "updated"}

func TestJSONKeys(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		v    any
		want []string
	}{
		{"job", Job{ID: 1, Created: now}, sorted(jobKeys...)},
		{"job with message", Job{Message: "x"}, sorted(append([]string{"message"}, jobKeys...)...)},
		{"detail is flat", JobDetail{Job: Job{ID: 1}}, sorted(append([]string{"pieces_detail", "events"}, jobKeys...)...)},
		{"piece", Piece{Seq: 1, Meta: map[string]string{"a": "b"}}, sorted("seq", "first_page", "pages", "sheets", "meta")},
		{"piece without meta", Piece{Seq: 1}, sorted("seq", "first_page", "pages", "sheets")},
		{"state event", Event{Seq: 1, Type: EventState, State: "held", Reasons: []string{"job-hold-until-specified"}},
			sorted("seq", "time", "job", "type", "state", "reasons")},
		{"progress event", Event{Type: EventProgress, SheetsDone: 3, Sheets: 10},
			sorted("seq", "time", "job", "type", "sheets_done", "sheets")},
		{"printer", Printer{Name: "lp"}, sorted("name", "driver", "state", "reasons", "accepting_jobs", "queued", "queued_sheets", "paused", "disabled", "draining", "stopped", "capabilities", "error_policy", "counters")},
		{"status", Status{}, sorted("version", "pid", "started", "state_dir", "jobs", "printers", "workflows", "hot_folders", "intake", "listeners")},
		{"hot folder", HotFolder{}, sorted("dir", "workflow")},
		{"error", Error{Error: "x"}, []string{"error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keys(t, tt.v); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("keys = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	tests := []struct{ got, want string }{
		{JobPath(42), "/v1/jobs/42"},
		{JobActionPath(7, ActionRelease), "/v1/jobs/7/release"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("path = %q, want %q", tt.got, tt.want)
		}
	}
}

func TestValidState(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{{"pending", true}, {"completed", true}, {"Pending", false}, {"", false}, {"done", false}}
	for _, tt := range tests {
		if got := ValidState(tt.s); got != tt.want {
			t.Errorf("ValidState(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
