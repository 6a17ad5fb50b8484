// Command archiverun archives every piece of an AFP run the way omsd does
// before sending it (each page group cut out with the run's resources,
// framed, zstd-compressed, in segments of about 32 MB with a ledger and
// an index), then times searches and retrievals, and prints one line of
// JSON figures.
//
//	archiverun -in run.afp -dir DIR
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/omsd/omsd/bench/internal/prof"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/archive"
	"github.com/omsd/omsd/archive/index"
)

// figures is what one run measured.
type figures struct {
	Pieces      int     `json:"pieces"`
	RawBytes    int64   `json:"raw_bytes"`    // the run file
	PieceBytes  int64   `json:"piece_bytes"`  // the standalone pieces archived
	StoredBytes int64   `json:"stored_bytes"` // the segments
	IndexBytes  int64   `json:"index_bytes"`
	SplitSec    float64 `json:"split_s"`
	ArchiveSec  float64 `json:"archive_s"`
	// CPUSec is the process's CPU time (user + system) while it split
	// and archived: on a loaded machine the wall times say more about
	// the load than about the archive.
	CPUSec float64 `json:"split_archive_cpu_s"`
	// HeapMB is the most Go heap in use seen after a segment was stored
	// (the rest of the RSS is mostly the index file's mapped pages).
	HeapMB float64 `json:"heap_inuse_peak_mb"`
	// ArchiveHWMMB is the peak RSS until the archive was done (before the
	// searches and the reindex, which maps a second index file); RssFile
	// and RssAnon the file-backed (the index's mapped pages) and anonymous
	// (heap, runtime) shares of the RSS then.
	ArchiveHWMMB float64 `json:"archive_peak_rss_mb"`
	RssFileMB    float64 `json:"rss_file_mb"`
	RssAnonMB    float64 `json:"rss_anon_mb"`
	ExactMS      float64 `json:"search_exact_ms"` // median
	NameMS       float64 `json:"search_name_ms"`  // median
	RangeMS      float64 `json:"search_range_ms"` // median, postcode range of ~1%
	GetMS        float64 `json:"get_ms"`          // median
	ReindexSec   float64 `json:"reindex_s"`
	NameMatches  int     `json:"name_matches"`
	RangeMatches int     `json:"range_matches"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "archiverun:", err)
		os.Exit(1)
	}
}

func run() error {
	in := flag.String("in", "", "the AFP run")
	dir := flag.String("dir", "", "a fresh directory for the archive")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this `file`")
	memprofile := flag.String("memprofile", "", "write a heap profile, taken when the archive is done, to this `file`")
	flag.Parse()
	stop, err := prof.StartCPU(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	if *in == "" || *dir == "" {
		return fmt.Errorf("give -in RUN.afp and -dir DIR")
	}
	ctx := context.Background()
	src, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer src.Close()
	st, _ := src.Stat()
	f := figures{RawBytes: st.Size()}
	idx, err := afp.BuildIndex(src, afp.IndexOptions{Boundary: afp.PageGroups()})
	if err != nil {
		return err
	}
	svc, err := archive.Open(ctx, archive.Options{Dir: *dir, Log: zerolog.Nop()})
	if err != nil {
		return err
	}
	defer svc.Close()
	var batch []archive.Piece
	size := 0
	sent := time.Now().UTC()
	cpu0 := cpuTime()
	var split, store time.Duration
	flush := func() error {
		t := time.Now()
		err := svc.Archive(ctx, "bench", batch)
		store += time.Since(t)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		f.HeapMB = max(f.HeapMB, float64(ms.HeapInuse)/(1<<20))
		batch, size = nil, 0
		return err
	}
	for _, p := range idx.Pieces {
		t := time.Now()
		var buf bytes.Buffer
		if err := afp.WriteOutput(&buf, src, idx, []int{int(p.Seq)}, nil); err != nil {
			return err
		}
		split += time.Since(t)
		r := archive.Record{ID: archive.ID(1, int(p.Seq), 0), Job: 1, Seq: int(p.Seq), Workflow: "bench", Channel: "print", Format: "afp",
			Pages: int(p.Pages), Sent: sent, RetainUntil: sent.AddDate(10, 0, 0), Fields: map[string]string{}}
		for a := range p.Attrs() {
			if a.Name == "NAME" {
				r.Text = append(r.Text, a.Value)
			} else {
				r.Fields[a.Name] = a.Value
			}
		}
		batch = append(batch, archive.Piece{Record: r, Data: buf.Bytes()})
		f.PieceBytes += int64(buf.Len())
		if size += buf.Len(); size >= 32<<20 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	// Segments are indexed while the next is stored: the archive is done
	// when the last one is searchable.
	t := time.Now()
	if _, err := svc.Record(archive.ID(1, int(idx.Pieces[len(idx.Pieces)-1].Seq), 0)); err != nil {
		return err
	}
	store += time.Since(t)
	if *memprofile != "" {
		if err := prof.WriteHeap(*memprofile); err != nil {
			return err
		}
	}
	f.ArchiveHWMMB, f.RssFileMB, f.RssAnonMB = procStatus("VmHWM"), procStatus("RssFile"), procStatus("RssAnon")
	f.Pieces, f.SplitSec, f.ArchiveSec, f.CPUSec = len(idx.Pieces), split.Seconds(), store.Seconds(), (cpuTime() - cpu0).Seconds()
	f.StoredBytes = dirSize(filepath.Join(*dir, "segments"))
	f.IndexBytes = fileSize(filepath.Join(*dir, "index.db"))

	mid := idx.Pieces[len(idx.Pieces)/2]
	account := ""
	for a := range mid.Attrs() {
		if a.Name == "ACCOUNT" {
			account = a.Value
		}
	}
	var recs []archive.Record
	f.ExactMS = median(func() {
		recs, err = svc.Search(index.Query{Conds: []index.Cond{{Field: "ACCOUNT", Op: index.Equal, Value: account}}}, "bench")
	})
	if err != nil || len(recs) != 1 {
		return fmt.Errorf("exact search: %d found, %v", len(recs), err)
	}
	f.NameMS = median(func() {
		recs, err = svc.Search(index.Query{Conds: []index.Cond{{Field: "text", Op: index.Text, Value: "Jürgen Weiß"}}, Limit: 1 << 30}, "bench")
	})
	f.NameMatches = len(recs)
	f.RangeMS = median(func() {
		recs, err = svc.Search(index.Query{Conds: []index.Cond{{Field: "POSTCODE", Op: index.Range, Value: "50000", To: "50999"}}, Limit: 1 << 30}, "bench")
	})
	f.RangeMatches = len(recs)
	f.GetMS = median(func() { _, _, err = svc.Get(ctx, archive.ID(1, int(mid.Seq), 0), "bench") })
	if err != nil {
		return err
	}
	t = time.Now()
	if _, err := svc.Reindex(ctx); err != nil {
		return err
	}
	f.ReindexSec = time.Since(t).Seconds()
	return json.NewEncoder(os.Stdout).Encode(f)
}

// median runs fn 21 times and returns the median time in milliseconds.
func median(fn func()) float64 {
	var ms []float64
	for range 21 {
		t := time.Now()
		fn()
		ms = append(ms, float64(time.Since(t).Microseconds())/1000)
	}
	slices.Sort(ms)
	return ms[len(ms)/2]
}

func dirSize(dir string) int64 {
	var n int64
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		n += fileSize(filepath.Join(dir, e.Name()))
	}
	return n
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// procStatus returns a kB figure of /proc/self/status in MB (0 if none).
func procStatus(key string) float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuTime is the CPU time the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
