// Command afpmark draws inserter marks on every sheet of an AFP print
// file, as omsd composes an output with marks: index the file, and write
// the pieces through afp.WriteOutput with the afpmarks page hook, which
// computes the marks of each sheet (one envelope per piece) as the output
// reaches it, then fsync.
//
// It prints the seconds of the index and of the marked output apart.
//
//	afpmark [-profile pb-omr] [-sync=false] IN.afp OUT.afp
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/bench/internal/prof"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/afpmarks"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "afpmark:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("afpmark", flag.ContinueOnError)
	name := fs.String("profile", "pb-omr", "marks profile")
	sync := fs.Bool("sync", true, "fsync the output")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file once the output is written")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("usage: afpmark [-profile NAME] IN.afp OUT.afp")
	}
	if *cpuProfile != "" {
		stop, err := prof.StartCPU(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	p, err := marks.LoadProfile(*name)
	if err != nil {
		return err
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	start := time.Now()
	idx, err := afp.BuildIndexAt(in, st.Size(), afp.IndexOptions{}) // on every core, as the pipeline does
	if err != nil {
		return err
	}
	indexed := time.Now()
	hook, order, err := newHook(p, idx)
	if err != nil {
		return err
	}
	err = write(fs.Arg(1), in, idx, order, hook, *sync)
	if err == nil {
		fmt.Printf("index %.2f s, marked output %.2f s\n", indexed.Sub(start).Seconds(), time.Since(indexed).Seconds())
	}
	if *memProfile != "" {
		if err := prof.WriteHeap(*memProfile); err != nil { // idx and hook are still live here
			fmt.Fprintln(os.Stderr, "afpmark: heap profile:", err)
		}
	}
	runtime.KeepAlive(hook)
	runtime.KeepAlive(idx)
	return err
}

// newHook prepares the marks of every sheet of the file, its pieces in
// input order, one envelope each; the hook computes each sheet's as the
// output reaches it.
func newHook(p *marks.Profile, idx *afp.Index) (*afpmarks.Hook, []int, error) {
	order := make([]int, len(idx.Pieces))
	for i, pc := range idx.Pieces {
		order[i] = int(pc.Seq)
	}
	h, err := afpmarks.NewHook(p, marks.JobInfo{ID: "1"}, &perPiece{pieces: idx.Pieces})
	return h, order, err
}

// perPiece gives the envelopes of the pieces of an index in input order,
// one envelope a piece, as marks.PerPiece lists them.
type perPiece struct {
	pieces []afp.Piece
	next   int
	env    marks.EnvelopeSheets
}

func (e *perPiece) Len() int { return len(e.pieces) }

func (e *perPiece) Next() (*marks.EnvelopeSheets, bool) {
	if e.next == len(e.pieces) {
		return nil, false
	}
	pc := &e.pieces[e.next]
	e.next++
	e.env = marks.EnvelopeSheets{ID: e.next, Pieces: append(e.env.Pieces[:0], marks.PieceSheets{Seq: int(pc.Seq), Pages: int(pc.Pages), Sheets: int(pc.Sheets)})}
	return &e.env, true
}

func write(path string, in *os.File, idx *afp.Index, order []int, h *afpmarks.Hook, sync bool) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	err = afp.WriteOutput(atomicfile.Writeback(out), in, idx, order, h.Page)
	if err == nil {
		err = h.Err()
	}
	if err == nil && sync {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		fmt.Printf("%s: %d pieces, %d pages, %d sheets marked\n", path, len(order), idx.Pages, idx.Sheets)
	}
	return err
}
