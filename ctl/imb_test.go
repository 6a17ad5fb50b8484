package ctl

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/omsd/omsd/imb"
)

// runLocal runs omsctl without a daemon.
func runLocal(args ...string) (string, error) {
	var out, errb bytes.Buffer
	err := Run(context.Background(), args, &out, &errb)
	return out.String(), err
}

func TestIMBEncode(t *testing.T) {
	const bars = "AADTFFDFTDADTAADAATFDTDDAAADDTDTTDAFADADDDTFFFDDTTTADFAAADFTDAADA"
	out, err := runLocal("imb", "encode", "--tracking", "01234567094987654321", "--routing", "01234567891")
	if err != nil {
		t.Fatal(err)
	}
	if out != bars+"\n" {
		t.Errorf("output %q, want %q", out, bars)
	}
	out, err = runLocal("imb", "encode", "--json", "--tracking=01234567094987654321", "--routing=01234567891")
	if err != nil {
		t.Fatal(err)
	}
	var c imb.Code
	decode(t, out, &c)
	want := imb.Code{Tracking: "01234567094987654321", Routing: "01234567891", BarcodeID: "01",
		ServiceType: "234", MailerID: "567094", Serial: "987654321", Bars: bars}
	if c != want {
		t.Errorf("document %+v, want %+v", c, want)
	}
}

func TestIMBEncodeRejects(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"imb", "encode", "--tracking", "0123456709498765432"}, "20 digits"},
		{[]string{"imb", "encode", "--tracking", "0123456709498765432x"}, "non-digit"},
		{[]string{"imb", "encode", "--tracking", "05234567094987654321"}, "second digit"},
		{[]string{"imb", "encode", "--tracking", "01234567094987654321", "--routing", "1234"}, "0, 5, 9 or 11"},
		{[]string{"imb", "encode"}, "--tracking is required"},
		{[]string{"imb", "decode"}, "unknown action"},
		{[]string{"imb"}, "want the action encode"},
	}
	for _, tt := range tests {
		out, err := runLocal(tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one containing %q", tt.args, err, tt.want)
		}
		if out != "" {
			t.Errorf("%v: printed %q on error", tt.args, out)
		}
	}
}
