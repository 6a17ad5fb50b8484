package ctl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/users"
)

// TestUsersAddReadsThePasswordFromStdin: omsctl users add writes a user
// the users package authenticates, with the password piped in.
func TestUsersAddReadsThePasswordFromStdin(t *testing.T) {
	file := filepath.Join(t.TempDir(), "users.yaml")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString("s3cret-password\n")
	w.Close()
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old }()
	out, _, err := omsctl(t, "unused.sock", "users", "add", "--file", file, "--role", "operator", "olga")
	if err != nil || !strings.Contains(out, "user olga (operator)") {
		t.Fatalf("users add: %v %q", err, out)
	}
	dir, err := users.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := dir.Authenticate("olga", "s3cret-password"); err != nil || u.Role != users.Operator {
		t.Errorf("authenticate: %+v %v", u, err)
	}
	if _, _, err := omsctl(t, "unused.sock", "users", "add", "--file", file, "--role", "boss", "olga"); err == nil || !strings.Contains(err.Error(), "viewer, operator or admin") {
		t.Errorf("bad role: %v", err)
	}
}

func TestAuditTableAndJSON(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "audit")
	if err != nil || !strings.Contains(out, "job.hold") || !strings.Contains(out, "denied") || len(strings.Split(strings.TrimSpace(out), "\n")) != 3 {
		t.Errorf("audit: %v\n%s", err, out)
	}
	out, _, err = omsctl(t, sock, "audit", "--user", "bob", "--json")
	var got []api.AuditEntry
	decode(t, out, &got)
	if err != nil || len(got) != 1 || got[0].User != "bob" || got[0].Peer == "" {
		t.Errorf("audit --json: %v %+v", err, got)
	}
}

func TestRejectedTable(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "rejected")
	if err != nil || !strings.Contains(out, "bad.pdf") || !strings.Contains(out, "no pages") {
		t.Errorf("rejected: %v\n%s", err, out)
	}
	out, _, err = omsctl(t, sock, "rejected", "--json")
	var got []api.Rejected
	decode(t, out, &got)
	if err != nil || len(got) != 1 || got[0].Job != 5 {
		t.Errorf("rejected --json: %v %+v", err, got)
	}
}
