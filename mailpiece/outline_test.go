package mailpiece

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/meta"
)

func TestFromOutline(t *testing.T) {
	entries := []OutlineEntry{{"Invoice A1 10115", 1}, {"Invoice A2 80331", 3}, {"Invoice A3 20095", 4}}
	re := regexp.MustCompile(`^Invoice (?P<account>\S+) (?P<postal_code>\d{5})$`)
	tests := []struct {
		name   string
		re     *regexp.Regexp
		pages  int
		duplex bool
		want   []Piece
	}{
		{"no pattern", nil, 6, false, []Piece{
			{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 2, Meta: meta.FromMap(map[string]string{"title": "Invoice A1 10115"})},
			{Seq: 2, FirstPage: 3, Pages: 1, Sheets: 1, Meta: meta.FromMap(map[string]string{"title": "Invoice A2 80331"})},
			{Seq: 3, FirstPage: 4, Pages: 3, Sheets: 3, Meta: meta.FromMap(map[string]string{"title": "Invoice A3 20095"})},
		}},
		{"named groups, duplex", re, 7, true, []Piece{
			{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 1, Meta: meta.FromMap(map[string]string{"title": "Invoice A1 10115", "account": "A1", "postal_code": "10115"})},
			{Seq: 2, FirstPage: 3, Pages: 1, Sheets: 1, Meta: meta.FromMap(map[string]string{"title": "Invoice A2 80331", "account": "A2", "postal_code": "80331"})},
			{Seq: 3, FirstPage: 4, Pages: 4, Sheets: 2, Meta: meta.FromMap(map[string]string{"title": "Invoice A3 20095", "account": "A3", "postal_code": "20095"})},
		}},
		{"group named title, unnamed and optional groups", regexp.MustCompile(`(?P<title>A\d)(x)?(?P<opt>y)?`), 4, false, []Piece{
			{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 2, Meta: meta.FromMap(map[string]string{"title": "Invoice A1 10115", "opt": ""})},
			{Seq: 2, FirstPage: 3, Pages: 1, Sheets: 1, Meta: meta.FromMap(map[string]string{"title": "Invoice A2 80331", "opt": ""})},
			{Seq: 3, FirstPage: 4, Pages: 1, Sheets: 1, Meta: meta.FromMap(map[string]string{"title": "Invoice A3 20095", "opt": ""})},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromOutline(entries, tc.pages, tc.re, tc.duplex)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tc.want, Piece.Equal) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestFromOutlineErrors(t *testing.T) {
	re := regexp.MustCompile(`^Invoice (?P<account>\S+)$`)
	tests := []struct {
		name    string
		entries []OutlineEntry
		pages   int
		re      *regexp.Regexp
		wantErr error
		wantMsg string
	}{
		{"none", nil, 3, nil, ErrInconsistent, "no bookmarks"},
		{"no pages", []OutlineEntry{{"a", 1}}, 0, nil, ErrInconsistent, "no pages"},
		{"late start", []OutlineEntry{{"a", 3}, {"b", 4}}, 5, nil, ErrInconsistent, `bookmark 1 "a": mailpiece: piece index inconsistent with the print file: pages 1-2 come before the first bookmark`},
		{"same page", []OutlineEntry{{"a", 1}, {"b", 2}, {"c", 2}}, 5, nil, ErrInconsistent, `bookmark 3 "c": mailpiece: piece index inconsistent with the print file: points at page 2, not after page 2 of bookmark 2 "b"`},
		{"descending", []OutlineEntry{{"a", 1}, {"b", 4}, {"c", 3}}, 5, nil, ErrInconsistent, `bookmark 3 "c"`},
		{"past the end", []OutlineEntry{{"a", 1}, {"b", 6}}, 5, nil, ErrInconsistent, `bookmark 2 "b": mailpiece: piece index inconsistent with the print file: points at page 6, outside the print file's pages 1-5`},
		{"page zero", []OutlineEntry{{"a", 0}}, 5, nil, ErrInconsistent, "points at page 0"},
		{"title mismatch", []OutlineEntry{{"Invoice A1", 1}, {"Credit note A2", 2}}, 5, re, ErrTitle, `bookmark 2 "Credit note A2" (page 2): mailpiece: bookmark title does not match the pattern ^Invoice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromOutline(tc.entries, tc.pages, tc.re, false)
			if err == nil {
				t.Fatalf("no error; pieces %+v", got)
			}
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q, want %q saying %q", err, tc.wantErr, tc.wantMsg)
			}
		})
	}
}

// TestTitlePairs checks that KEY=VALUE;KEY=VALUE titles become fields and
// that other titles are left alone.
func TestTitlePairs(t *testing.T) {
	tests := []struct {
		title string
		want  map[string]string // besides title
	}{
		{"account=A1;postal_code=10115", map[string]string{"account": "A1", "postal_code": "10115"}},
		{" account = A1 ; name=Anna Weiß; ", map[string]string{"account": "A1", "name": "Anna Weiß"}},
		{"CUST.ID=7;x-ref=", map[string]string{"CUST.ID": "7", "x-ref": ""}},
		{"k=a=b", map[string]string{"k": "a=b"}},
		{"Letter 1", map[string]string{}},
		{"account=A1;Anna", map[string]string{}},
		{"1x=2", map[string]string{}},
		{"a=1;a=2", map[string]string{"a": "1"}},
	}
	for _, tt := range tests {
		pieces, err := FromOutline([]OutlineEntry{{Title: tt.title, Page: 1}}, 1, nil, false)
		if err != nil {
			t.Fatalf("%q: %v", tt.title, err)
		}
		got := pieces[0].Meta
		if got.Get("title") != tt.title || got.Len() != len(tt.want)+1 {
			t.Errorf("%q: meta = %v; want %v and the title", tt.title, got, tt.want)
			continue
		}
		for k, v := range tt.want {
			if got.Get(k) != v {
				t.Errorf("%q: %s = %q; want %q", tt.title, k, got.Get(k), v)
			}
		}
	}
}
