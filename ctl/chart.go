package ctl

import (
	"bytes"
	"fmt"
	"os"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/chart"
)

// writeChart draws rep into file as PNG.
func writeChart(file string, rep api.Report) error {
	var b bytes.Buffer
	rep.From, rep.To = rep.From.Local(), rep.To.Local() // the window in this machine's zone
	if err := chart.WritePNG(&b, rep); err != nil {
		return err
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--png: %w", err)
	}
	return nil
}
