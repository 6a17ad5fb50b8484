package ctl

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
)

func TestParsePieceList(t *testing.T) {
	got, err := parsePieceList("5, 7-9,12")
	if err != nil || !reflect.DeepEqual(got, []int{5, 7, 8, 9, 12}) {
		t.Errorf("parsePieceList = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "x", "9-7", "3-", "1-2000000"} {
		if _, err := parsePieceList(bad); err == nil {
			t.Errorf("parsePieceList(%q) succeeded", bad)
		}
	}
}

func TestPrinterAndJobDeviceVerbs(t *testing.T) {
	sock, _ := serve(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"printer", "pause", "lp1"}, "printer lp1 paused\n"},
		{[]string{"printer", "disable", "lp1"}, "printer lp1 disabled\n"},
		{[]string{"printer", "resume", "lp1"}, "printer lp1 ready\n"},
		{[]string{"job", "move", "1", "room"}, "job 1 pending, moved to room\n"},
		{[]string{"job", "priority", "1", "7"}, "job 1 pending, priority 7\n"},
		{[]string{"job", "restart", "1", "--pieces", "1-2"}, "job 1 pending: 2 pieces queued again in 1 outputs\n"},
		{[]string{"job", "ack", "1", "--reason", "extra envelope pulled"}, "job 1 completed, integrity alarms acknowledged\n"},
	}
	for _, tt := range tests {
		out, _, err := omsctl(t, sock, tt.args...)
		if err != nil || out != tt.want {
			t.Errorf("omsctl %s = %q, %v; want %q", strings.Join(tt.args, " "), out, err, tt.want)
		}
	}
	out, _, err := omsctl(t, sock, "job", "restart", "1", "--from-piece", "2", "--to", "room", "--json")
	var res api.RestartResult
	if err != nil {
		t.Fatal(err)
	}
	decode(t, out, &res)
	if len(res.Outputs) != 1 || res.Outputs[0].Target != "room" || res.Outputs[0].FirstSeq != 2 {
		t.Errorf("restart --json = %+v", res)
	}
	if _, _, err := omsctl(t, sock, "printer", "pause", "nosuch"); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("pause of an unknown printer: %v; want ErrNotFound", err)
	}
	if _, _, err := omsctl(t, sock, "printer", "explode", "lp1"); err == nil {
		t.Error("unknown printer action accepted")
	}
	if _, _, err := omsctl(t, sock, "job", "restart", "1", "--pieces", "1", "--from-piece", "2"); err == nil {
		t.Error("--pieces with --from-piece accepted")
	}
}
