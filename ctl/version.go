package ctl

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/version"
)

// versions is what omsctl version prints: its own version, and the
// daemon's if it answers (else why not).
type versions struct {
	Omsctl    string `json:"omsctl"`
	Omsd      string `json:"omsd,omitempty"`
	OmsdError string `json:"omsd_error,omitempty"`
}

// runVersion: omsctl version [--json]. The daemon not answering is no
// error: omsctl's own version is still worth knowing.
func runVersion(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("version", "[--json]")
	asJSON := fs.Bool("json", false, "print the versions as JSON")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("version", pos); err != nil {
		return err
	}
	v := versions{Omsctl: version.String()}
	if st, err := e.client.Status(ctx); err != nil {
		v.OmsdError = err.Error()
	} else {
		v.Omsd = st.Version
	}
	if *asJSON {
		return printJSON(e.stdout, v)
	}
	fmt.Fprintf(e.stdout, "omsctl %s\n", v.Omsctl)
	if v.Omsd != "" {
		fmt.Fprintf(e.stdout, "omsd   %s\n", v.Omsd)
	} else {
		fmt.Fprintf(e.stdout, "omsd   unknown: %s\n", v.OmsdError)
	}
	return nil
}
