package deadline

import (
	"testing"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
)

func TestOf(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = time.FixedZone("CET", 3600)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, berlin)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	meta := func(vals ...string) []mailpiece.Piece {
		var ps []mailpiece.Piece
		for _, v := range vals {
			ps = append(ps, mailpiece.Piece{Meta: meta.FromMap(map[string]string{"due": v})})
		}
		return ps
	}
	for _, c := range []struct {
		name    string
		d       *config.WorkflowDeadline
		arrived string
		pieces  []mailpiece.Piece
		want    string // "" for none
	}{
		{"none", nil, "2026-11-02 09:00", nil, ""},
		{"by, same day", &config.WorkflowDeadline{By: "16:00"}, "2026-11-02 09:00", nil, "2026-11-02 16:00"},
		{"by, arrived after: next day", &config.WorkflowDeadline{By: "16:00"}, "2026-11-02 17:30", nil, "2026-11-03 16:00"},
		{"within", &config.WorkflowDeadline{Within: config.Duration(4 * time.Hour)}, "2026-11-02 09:00", nil, "2026-11-02 13:00"},
		{"field, earliest wins", &config.WorkflowDeadline{By: "16:00", Field: "due"}, "2026-11-02 09:00",
			meta("2026-11-02 14:00", "2026-11-02 12:30", "garbage", ""), "2026-11-02 12:30"},
		{"field with a zone", &config.WorkflowDeadline{Field: "due"}, "2026-11-02 09:00",
			meta("2026-11-02T11:00:00Z"), "2026-11-02 12:00"},
		{"field unreadable: by", &config.WorkflowDeadline{By: "16:00", Field: "due"}, "2026-11-02 09:00", meta("soon"), "2026-11-02 16:00"},
		{"field only, absent", &config.WorkflowDeadline{Field: "due"}, "2026-11-02 09:00", meta(""), ""},
		{"field in the job's metadata", &config.WorkflowDeadline{By: "16:00", Field: "due"}, "2026-11-02 09:00", nil, "2026-11-02 11:15"},
	} {
		job := map[string]string{}
		if c.pieces == nil {
			job["due"] = "2026-11-02 11:15"
		}
		got, ok := Of(c.d, at(c.arrived), c.pieces, job, berlin)
		switch {
		case c.want == "" && ok:
			t.Errorf("%s: deadline %v; want none", c.name, got)
		case c.want != "" && (!ok || !got.Equal(at(c.want))):
			t.Errorf("%s: deadline %v (%v); want %s", c.name, got, ok, c.want)
		}
	}
}

func TestPredict(t *testing.T) {
	now := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	if got := Predict(now, 600, 2); !got.Equal(now.Add(5 * time.Minute)) {
		t.Errorf("600 sheets at 2/s: %v", got)
	}
	if got := Predict(now, 0, 0); !got.Equal(now) {
		t.Errorf("nothing left: %v", got)
	}
	if got := Predict(now, 10, 0); !got.IsZero() {
		t.Errorf("no speed: %v; want never", got)
	}
}
