// Command history fills a spool with completed jobs for the jobs
// benchmark, through the spool API, while no omsd runs on it: each job as
// a real one ends, with its pieces, its output sent, piece sends and its
// state events.
//
//	history -jobs 100000 [-workers 8] SPOOL_DIR
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omsd/omsd/spool"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "history:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	n := fs.Int("jobs", 100000, "completed jobs to write")
	workers := fs.Int("workers", 8, "writers at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *n < 0 || *workers < 1 {
		return errors.New("usage: history -jobs N [-workers W] SPOOL_DIR")
	}
	s, err := spool.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, *workers)
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(*n); i = next.Add(1) {
				if err := completedJob(s, int(i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Printf("%d completed jobs written in %.1f s\n", *n, time.Since(start).Seconds())
	return nil
}

// completedJob writes the i-th job: 1 to 3 one-page pieces, one output
// sent to the file printer.
func completedJob(s *spool.Store, i int) error {
	pages := 1 + i%3
	seqs := make([]int, pages)
	pieces := make([]spool.Piece, pages)
	for k := range pages {
		seqs[k] = k + 1
		pieces[k] = spool.Piece{Seq: k + 1, FirstPage: k + 1, Pages: 1, Sheets: 1}
	}
	j, err := s.CreateJob(spool.Job{
		Name: fmt.Sprintf("old-%06d.pdf", i), Workflow: "default", Printer: "file",
		StateReasons: []string{"job-queued"}, Source: "hot/default", Input: "input.pdf",
		Pieces: pages, Pages: pages, Sheets: pages, Format: "application/pdf",
		Outputs: []spool.Output{{Name: "main", File: "output.pdf", Pieces: pages, Pages: pages, Sheets: pages, Seqs: seqs, Printer: "file"}},
	})
	if err != nil {
		return err
	}
	if err := s.SetPieces(j.ID, pieces); err != nil {
		return err
	}
	if err := s.RecordSends(j.ID, seqs, "file"); err != nil {
		return err
	}
	_, err = s.UpdateJob(j.ID, func(j *spool.Job) error {
		j.Outputs[0].Sent, j.Outputs[0].Confirmed, j.SheetsSent = true, pages, pages
		j.State, j.StateReasons, j.Message = spool.Completed, []string{"job-completed-successfully"}, "sent to file"
		return nil
	})
	return err
}
