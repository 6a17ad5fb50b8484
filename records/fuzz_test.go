package records

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzRead reads arbitrary bytes in every shipped layout, writes the good
// records back and reads them again: the second reading must give the same
// records, and nothing may panic.
func FuzzRead(f *testing.F) {
	f.Add([]byte("H0000000007\nB0000000007000000000140\nB00000000070000000002\n"))
	f.Add([]byte("job,piece,disposition\n1,2,inserted\n\"a\n"))
	f.Add([]byte("00007000001S2026-12-03 08:00:00op      L1\n"))
	f.Add([]byte("B\r\n\xff\xfe\n"))
	layouts := map[string]*Layout{}
	for _, n := range BuiltinNames() {
		l, err := Builtin(n)
		if err != nil {
			f.Fatal(err)
		}
		layouts[n] = l
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, l := range layouts {
			recs := readAll(t, l, data)
			var buf bytes.Buffer
			w := NewWriter(&buf, l)
			var written []Record
			for _, r := range recs {
				if err := w.WriteRecord(r); err == nil {
					written = append(written, r)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			again := readAll(t, l, buf.Bytes())
			if len(again) != len(written) {
				t.Fatalf("%s: %d records written, %d read back from %q", name, len(written), len(again), buf.Bytes())
			}
			for i := range again {
				for k, v := range written[i].Fields {
					if again[i].Fields[k] != v {
						t.Fatalf("%s: record %d field %s: %q became %q", name, i, k, v, again[i].Fields[k])
					}
				}
			}
		}
	})
}

func readAll(t *testing.T, l *Layout, data []byte) []Record {
	r := NewReader(bytes.NewReader(data), l)
	var recs []Record
	for i := 0; i < 1<<16; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return recs
		}
		var le *LineError
		if errors.As(err, &le) {
			continue
		}
		if err != nil {
			return recs
		}
		l.ResultOf(rec)
		recs = append(recs, rec)
	}
	t.Fatal("reader did not end")
	return nil
}
