package mailpiece

import (
	"errors"
	"reflect"
	"testing"
)

func TestFixed(t *testing.T) {
	tests := []struct {
		pages, per int
		duplex     bool
		want       []Piece
		wantErr    error // nil: no error expected unless fail
		fail       bool
	}{
		{pages: 6, per: 2, want: []Piece{
			{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 2},
			{Seq: 2, FirstPage: 3, Pages: 2, Sheets: 2},
			{Seq: 3, FirstPage: 5, Pages: 2, Sheets: 2},
		}},
		{pages: 6, per: 3, duplex: true, want: []Piece{
			{Seq: 1, FirstPage: 1, Pages: 3, Sheets: 2},
			{Seq: 2, FirstPage: 4, Pages: 3, Sheets: 2},
		}},
		{pages: 1, per: 1, want: []Piece{{Seq: 1, FirstPage: 1, Pages: 1, Sheets: 1}}},
		{pages: 7, per: 2, wantErr: ErrInconsistent, fail: true},
		{pages: 0, per: 2, wantErr: ErrInconsistent, fail: true},
		{pages: 6, per: 0, fail: true},
		{pages: 6, per: -2, fail: true},
	}
	for _, tc := range tests {
		got, err := Fixed(tc.pages, tc.per, tc.duplex)
		if tc.fail {
			if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Errorf("Fixed(%d, %d): error %v, want one wrapping %v", tc.pages, tc.per, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Fixed(%d, %d) = %+v, %v; want %+v", tc.pages, tc.per, got, err, tc.want)
		}
	}
}

func TestWhole(t *testing.T) {
	tests := []struct {
		pages  int
		duplex bool
		want   []Piece
	}{
		{5, false, []Piece{{Seq: 1, FirstPage: 1, Pages: 5, Sheets: 5}}},
		{5, true, []Piece{{Seq: 1, FirstPage: 1, Pages: 5, Sheets: 3}}},
		{0, true, nil},
	}
	for _, tc := range tests {
		if got := Whole(tc.pages, tc.duplex); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Whole(%d, %v) = %+v, want %+v", tc.pages, tc.duplex, got, tc.want)
		}
	}
}
