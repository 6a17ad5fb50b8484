package ctl

import (
	"flag"
	"io"
	"reflect"
	"testing"
)

func TestParseInterleaved(t *testing.T) {
	tests := []struct {
		args     []string
		wantPos  []string
		wantJSON bool
		wantName string
	}{
		{[]string{"3", "--json"}, []string{"3"}, true, ""},
		{[]string{"--json", "3"}, []string{"3"}, true, ""},
		{[]string{"a", "--name", "x", "b"}, []string{"a", "b"}, false, "x"},
		{[]string{"a", "-name=x", "-json=true"}, []string{"a"}, true, "x"},
		{[]string{"--name", "--json"}, nil, false, "--json"}, // a string flag takes the next argument whatever it is
		{[]string{"-", "--json"}, []string{"-"}, true, ""},
		{[]string{"a", "--", "--json", "-x"}, []string{"a", "--json", "-x"}, false, ""},
		{nil, nil, false, ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		asJSON := fs.Bool("json", false, "")
		name := fs.String("name", "", "")
		e := &env{stdout: io.Discard}
		pos, err := e.parse(fs, tt.args)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if !reflect.DeepEqual(pos, tt.wantPos) || *asJSON != tt.wantJSON || *name != tt.wantName {
			t.Errorf("%q: pos %q json %v name %q; want %q %v %q", tt.args, pos, *asJSON, *name, tt.wantPos, tt.wantJSON, tt.wantName)
		}
	}
}
