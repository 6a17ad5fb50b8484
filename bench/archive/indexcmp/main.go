// Command indexcmp measures the archive's index engine, bbolt composite
// keys (package archive/index), against SQLite with FTS5
// (modernc.org/sqlite, pure Go) on the same synthetic records: index
// time, disk, and search by an exact field, a postcode range and a name
// with ß. It is a module of its own so that the project's go.mod does not
// take on SQLite for a measurement.
//
//	go run . -n 200000 -dir /tmp/indexcmp
package main

import (
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/omsd/omsd/archive/index"
)

var (
	first = []string{"Anna", "Jürgen", "Björn", "Lena", "Özlem", "Max", "Sophie", "Günter", "Hans-Peter", "Ursula", "Renée"}
	last  = []string{"Müller", "Schröder", "Weiß", "Groß", "Meier", "Schmidt", "Bäcker", "Öztürk", "Jäger", "Krämer", "Dupont"}
)

func record(i int, sent time.Time) index.Record {
	return index.Record{
		ID: fmt.Sprintf("1-%d-0", i+1), Job: 1, Seq: i + 1, Workflow: "bench", Channel: "print", Format: "afp", Pages: 5,
		Sent: sent, RetainUntil: sent.AddDate(10, 0, 0), Segment: fmt.Sprintf("seg-%d", i/5000), Offset: int64(i) * 1000, Length: 900,
		SHA256: strings.Repeat("ab", 32),
		Fields: map[string]string{"account": fmt.Sprintf("AC%07d", i+1), "postcode": fmt.Sprintf("%05d", (i*7919)%100000)},
		Text:   []string{first[i%len(first)] + " " + last[(i/13)%len(last)], fmt.Sprintf("Hauptstraße %d", i%300)},
	}
}

type result struct {
	Engine   string  `json:"engine"`
	N        int     `json:"n"`
	IndexSec float64 `json:"index_s"`
	DiskMB   float64 `json:"disk_mb"`
	ExactMS  float64 `json:"exact_ms"`
	RangeMS  float64 `json:"range_ms"`
	NameMS   float64 `json:"name_ms"`
	Range    int     `json:"range_hits"`
	Name     int     `json:"name_hits"`
}

func main() {
	n := flag.Int("n", 200000, "records")
	dir := flag.String("dir", "/tmp/indexcmp", "a directory for the files")
	flag.Parse()
	os.RemoveAll(*dir)
	os.MkdirAll(*dir, 0o755)
	recs := make([]index.Record, *n)
	sent := time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
	for i := range recs {
		recs[i] = record(i, sent)
	}
	for _, f := range []func([]index.Record, string) (result, error){runBolt, runSQLite} {
		r, err := f(recs, *dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "indexcmp:", err)
			os.Exit(1)
		}
		json.NewEncoder(os.Stdout).Encode(r)
	}
}

func runBolt(recs []index.Record, dir string) (result, error) {
	r := result{Engine: "bbolt composite keys (archive/index)", N: len(recs)}
	path := filepath.Join(dir, "index.db")
	x, err := index.Open(path)
	if err != nil {
		return r, err
	}
	defer x.Close()
	t := time.Now()
	for i := 0; i < len(recs); i += 5000 {
		if err := x.AddSegment(fmt.Sprintf("seg-%d", i/5000), recs[i:min(i+5000, len(recs))], uint64(i/5000+1)); err != nil {
			return r, err
		}
	}
	r.IndexSec = time.Since(t).Seconds()
	r.DiskMB = size(path)
	var got []index.Record
	r.ExactMS = median(func() {
		got, err = x.Search(index.Query{Conds: []index.Cond{{Field: "account", Op: index.Equal, Value: "AC0100000"}}})
	})
	r.RangeMS = median(func() {
		got, err = x.Search(index.Query{Conds: []index.Cond{{Field: "postcode", Op: index.Range, Value: "50000", To: "50999"}}, Limit: 1 << 30})
	})
	r.Range = len(got)
	r.NameMS = median(func() {
		got, err = x.Search(index.Query{Conds: []index.Cond{{Field: "text", Op: index.Text, Value: "jürgen weiss"}}, Limit: 1 << 30})
	})
	r.Name = len(got)
	return r, err
}

func runSQLite(recs []index.Record, dir string) (result, error) {
	r := result{Engine: "modernc.org/sqlite: columns + FTS5", N: len(recs)}
	path := filepath.Join(dir, "index.sqlite")
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return r, err
	}
	defer db.Close()
	for _, s := range []string{
		`CREATE TABLE pieces (id TEXT PRIMARY KEY, job INTEGER, sent TEXT, account TEXT, postcode TEXT, rec TEXT)`,
		`CREATE INDEX pieces_account ON pieces(account)`,
		`CREATE INDEX pieces_postcode ON pieces(postcode)`,
		`CREATE INDEX pieces_sent ON pieces(sent)`,
		`CREATE VIRTUAL TABLE text USING fts5(body, content='', tokenize='unicode61 remove_diacritics 2')`,
	} {
		if _, err := db.Exec(s); err != nil {
			return r, err
		}
	}
	t := time.Now()
	for i := 0; i < len(recs); i += 5000 {
		tx, err := db.Begin()
		if err != nil {
			return r, err
		}
		ins, _ := tx.Prepare(`INSERT INTO pieces VALUES (?,?,?,?,?,?)`)
		fts, _ := tx.Prepare(`INSERT INTO text(rowid, body) VALUES ((SELECT rowid FROM pieces WHERE id = ?), ?)`)
		for _, rec := range recs[i:min(i+5000, len(recs))] {
			js, _ := json.Marshal(rec)
			if _, err := ins.Exec(rec.ID, rec.Job, rec.Sent.Format(time.RFC3339Nano), rec.Fields["account"], rec.Fields["postcode"], string(js)); err != nil {
				return r, err
			}
			// unicode61 does not fold ß: fold it as the bbolt index does.
			if _, err := fts.Exec(rec.ID, index.Fold(strings.Join(rec.Text, " "))); err != nil {
				return r, err
			}
		}
		if err := tx.Commit(); err != nil {
			return r, err
		}
	}
	r.IndexSec = time.Since(t).Seconds()
	db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	r.DiskMB = size(path) + size(path+"-wal")
	count := func(q string, args ...any) int {
		rows, err := db.Query(q, args...)
		if err != nil {
			panic(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var s string
			rows.Scan(&s)
			n++
		}
		return n
	}
	r.ExactMS = median(func() { count(`SELECT rec FROM pieces WHERE account = ?`, "AC0100000") })
	r.RangeMS = median(func() { r.Range = count(`SELECT rec FROM pieces WHERE postcode BETWEEN ? AND ?`, "50000", "50999") })
	r.NameMS = median(func() {
		r.Name = count(`SELECT rec FROM pieces WHERE rowid IN (SELECT rowid FROM text WHERE text MATCH ?)`, index.Fold("jürgen* weiss*"))
	})
	return r, nil
}

func median(fn func()) float64 {
	var ms []float64
	for range 11 {
		t := time.Now()
		fn()
		ms = append(ms, float64(time.Since(t).Microseconds())/1000)
	}
	slices.Sort(ms)
	return ms[len(ms)/2]
}

func size(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / (1 << 20)
}
