package pipeline

import (
	"fmt"
	"testing"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
)

func TestOrder(t *testing.T) {
	p := func(seq int, zip, name string) mailpiece.Piece {
		return mailpiece.Piece{Seq: seq, Meta: meta.FromMap(map[string]string{"postal_code": zip, "name": name})}
	}
	in := []mailpiece.Piece{p(1, "20095", "b"), p(2, "10115", "z"), p(3, "20095", "a"), p(4, "", "c"), p(5, "10115", "a")}
	tests := []struct {
		keys []string
		want string
	}{
		{nil, "[1 2 3 4 5]"},
		{[]string{"postal_code"}, "[4 2 5 1 3]"},
		{[]string{"postal_code", "name"}, "[4 5 2 3 1]"},
		{[]string{"missing"}, "[1 2 3 4 5]"},
	}
	for _, tt := range tests {
		var seqs []int
		for _, x := range Order(in, tt.keys) {
			seqs = append(seqs, x.Seq)
		}
		if got := fmt.Sprint(seqs); got != tt.want {
			t.Errorf("Order(%v) = %s; want %s", tt.keys, got, tt.want)
		}
	}
	if in[0].Seq != 1 || in[1].Seq != 2 {
		t.Error("Order changed its input")
	}
}
