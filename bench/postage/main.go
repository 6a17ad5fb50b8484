// Command postage measures postage.Make on a synthetic mail run: wall
// time, CPU time, bytes allocated, and the process's peak resident set
// size (which includes the input pieces). -each plans with postage.MakeEach,
// as the pipeline does: the envelopes are passed one by one, not kept.
//
//	go run ./bench/postage -n 1000000 -household normalised
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/postage/postagetest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "postage bench:", err)
		os.Exit(1)
	}
}

func run() error {
	n := flag.Int("n", 1_000_000, "number of pieces")
	seed := flag.Uint64("seed", 1, "seed of the synthetic run")
	household := flag.String("household", "normalised", "householding key: normalised (name, address, postal code), customer, or off")
	runs := flag.Int("runs", 1, "number of plans to make")
	each := flag.Bool("each", false, "plan with MakeEach, taking the envelopes one by one as the pipeline does, instead of Make")
	flag.Parse()

	pieces := postagetest.Pieces(*n, *seed, postagetest.Options{
		Carrier: "deutschepost", MaxPages: 8, HouseholdShare: 0.1, BadShare: 0.001})
	cfg, err := config(*household)
	if err != nil {
		return err
	}
	runtime.GC()
	fmt.Printf("input: %d pieces, peak RSS so far %d MB\n", len(pieces), maxRSS()/1024)
	for range *runs {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cpu0, t0 := cpuTime(), time.Now()
		plan, envelopes, err := makePlan(pieces, cfg, *each)
		if err != nil {
			return err
		}
		wall, cpu := time.Since(t0), cpuTime()-cpu0
		runtime.ReadMemStats(&after)
		r := plan.Report
		fmt.Printf("plan: %d envelopes, %d containers, %d exceptions; postage %s -> %s %s\n",
			envelopes, len(plan.Containers), len(plan.Exceptions), r.Before.Postage, r.After.Postage, r.Currency)
		fmt.Printf("wall %v, cpu %v, allocated %d MB in %d allocations, peak RSS %d MB\n",
			wall.Round(time.Millisecond), cpu.Round(time.Millisecond),
			(after.TotalAlloc-before.TotalAlloc)>>20, after.Mallocs-before.Mallocs, maxRSS()/1024)
	}
	return nil
}

// makePlan plans pieces with Make, or with MakeEach keeping of each
// envelope only its count, and returns the plan and its envelope count.
func makePlan(pieces []postage.Piece, cfg postage.Config, each bool) (*postage.Plan, int, error) {
	if !each {
		plan, err := postage.Make(pieces, cfg)
		if err != nil {
			return nil, 0, err
		}
		return plan, len(plan.Envelopes), nil
	}
	n := 0
	plan, err := postage.MakeEach(pieces, cfg, func(postage.Envelope) { n++ })
	return plan, n, err
}

// config is the benchmark's planning configuration: Deutsche Post, duplex,
// presort (BZE and BZA), an insert, a split, and the householding asked for.
func config(household string) (postage.Config, error) {
	cfg := postage.Config{
		Carrier:       "deutschepost",
		Duplex:        true,
		SafetyMarginG: 0.5,
		Envelopes: []postage.EnvelopeType{
			{Name: "C6/5", MaxSheets: 10, WeightG: 5, Format: "standard"},
			{Name: "C4", MaxSheets: 150, WeightG: 13, Format: "gross"},
		},
		Fields: postage.Fields{PostalCode: postagetest.FieldPostalCode, Country: postagetest.FieldCountry,
			Name: postagetest.FieldName, Address: postagetest.FieldAddress, CustomerID: postagetest.FieldCustomer},
		Presort: postage.Presort{Enabled: true, Origin: "04"},
		Inserts: []postage.Insert{{Name: "flyer", WeightG: 2.5}},
		Splits:  []postage.SplitRule{{Output: "flats", Envelope: "C4"}},
	}
	switch household {
	case "normalised":
		cfg.Household = postage.Household{Enabled: true, Normalise: true,
			Key: []string{postagetest.FieldName, postagetest.FieldAddress, postagetest.FieldPostalCode}}
	case "customer":
		cfg.Household = postage.Household{Enabled: true}
	case "off":
	default:
		return cfg, fmt.Errorf("household %q: want normalised, customer or off", household)
	}
	return cfg, cfg.Prepare()
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSS is the process's peak resident set size in kilobytes.
func maxRSS() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss
}
