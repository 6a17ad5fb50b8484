package ctl

import (
	"errors"

	"github.com/omsd/omsd/api"
)

// writeChart draws rep into file as PNG.
func writeChart(file string, rep api.Report) error {
	return errors.New("--png: charts are not available in this build")
}
