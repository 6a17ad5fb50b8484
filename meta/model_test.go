package meta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestBuilderModel builds pieces by random Set, SetDefault and Drop calls,
// in tables of a small limit too, and checks every piece against a map
// built by the same calls: its fields, and its JSON.
func TestBuilderModel(t *testing.T) {
	for _, lim := range []uint64{limit, 64} {
		t.Run(fmt.Sprint("limit ", lim), func(t *testing.T) {
			defer func(l uint64) { limit = l }(limit)
			limit = lim
			r := rand.New(rand.NewPCG(1, uint64(lim)))
			b := NewBuilder()
			var got []Fields
			var want []map[string]string
			for range 2000 {
				m := map[string]string{}
				for range r.IntN(12) {
					k, v := fmt.Sprint("k", r.IntN(15)), fmt.Sprint(r.IntN(1000))
					if r.IntN(4) == 0 {
						v = ""
					}
					switch r.IntN(6) {
					case 0:
						b.SetDefault(k, v)
						if _, ok := m[k]; !ok {
							m[k] = v
						}
					case 1:
						if r.IntN(8) == 0 {
							b.Drop()
							m = map[string]string{}
						}
					default:
						b.Set(k, v)
						m[k] = v
					}
				}
				got, want = append(got, b.End()), append(want, m)
			}
			for i := range got {
				if !got[i].Equal(FromMap(want[i])) || got[i].Len() != len(want[i]) {
					t.Fatalf("piece %d: %v, want %v", i, got[i], want[i])
				}
				gj, _ := json.Marshal(got[i])
				wj, _ := json.Marshal(want[i])
				if !bytes.Equal(gj, wj) {
					t.Fatalf("piece %d: JSON %s, want %s", i, gj, wj)
				}
			}
		})
	}
}
