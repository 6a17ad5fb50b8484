// Command afpmark draws inserter marks on every sheet of an AFP print
// file, as omsd composes an output with marks: index the file, compute
// the marks of every sheet (one envelope per piece), and write the pieces
// through afp.WriteOutput with the afpmarks page hook, then fsync.
//
//	afpmark [-profile pb-omr] [-sync=false] IN.afp OUT.afp
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/mailpiece"
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("usage: afpmark [-profile NAME] IN.afp OUT.afp")
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
	idx, err := afp.BuildIndex(in, afp.IndexOptions{})
	if err != nil {
		return err
	}
	hook, order, err := newHook(p, idx)
	if err != nil {
		return err
	}
	return write(fs.Arg(1), in, idx, order, hook, *sync)
}

// newHook computes the marks of every sheet of the file, its pieces in
// input order, one envelope each.
func newHook(p *marks.Profile, idx *afp.Index) (*afpmarks.Hook, []int, error) {
	pieces := make([]mailpiece.Piece, len(idx.Pieces))
	order := make([]int, len(idx.Pieces))
	for i, pc := range idx.Pieces {
		pieces[i] = mailpiece.Piece{Seq: int(pc.Seq), Pages: int(pc.Pages), Sheets: int(pc.Sheets)}
		order[i] = int(pc.Seq)
	}
	sheets, err := marks.Sheets(marks.JobInfo{ID: "1"}, marks.PerPiece(pieces), p)
	if err != nil {
		return nil, nil, err
	}
	h, err := afpmarks.NewHook(p, sheets)
	return h, order, err
}

func write(path string, in *os.File, idx *afp.Index, order []int, h *afpmarks.Hook, sync bool) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	err = afp.WriteOutput(out, in, idx, order, h.Page)
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
