package users

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestPutThenAuthenticate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	if err := Put(path, "alice", Operator, "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := Put(path, "bob", Viewer, "battery staple"); err != nil {
		t.Fatal(err)
	}
	if err := Put(path, "alice", Admin, "new password"); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "new password") || strings.Contains(string(raw), "battery") {
		t.Fatalf("the file holds a password in clear:\n%s", raw)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := d.Authenticate("alice", "new password")
	if err != nil || u.Role != Admin {
		t.Fatalf("alice: %+v, %v", u, err)
	}
	if _, err := d.Authenticate("alice", "correct horse"); !errors.Is(err, ErrDenied) {
		t.Errorf("old password: %v, want ErrDenied", err)
	}
	if _, err := d.Authenticate("carol", "new password"); !errors.Is(err, ErrDenied) {
		t.Errorf("unknown user: %v, want ErrDenied", err)
	}
	if got := strings.Join(d.Names(), ","); got != "alice,bob" {
		t.Errorf("names %s", got)
	}
}

func TestParseListsEveryProblem(t *testing.T) {
	_, err := Parse([]byte("users:\n  - name: a\n    role: boss\n    password: secret\n  - name: 'bad name'\n    role: viewer\n"))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err %v", err)
	}
	for _, want := range []string{`role "boss"`, "not a bcrypt hash", `name "bad name"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := Parse([]byte("usres: []\n")); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown key: %v", err)
	}
	if d, err := Parse(nil); err != nil || len(d.Names()) != 0 {
		t.Errorf("empty file: %v", err)
	}
}

func TestRoles(t *testing.T) {
	cases := []struct {
		have, need Role
		ok         bool
	}{
		{Viewer, Viewer, true}, {Viewer, Operator, false}, {Operator, Viewer, true},
		{Operator, Admin, false}, {Admin, Operator, true}, {"", Viewer, false}, {"root", Viewer, false},
	}
	for _, c := range cases {
		if got := c.have.Can(c.need); got != c.ok {
			t.Errorf("%q.Can(%q) = %v", c.have, c.need, got)
		}
	}
}

func TestHashRefusesShortPasswords(t *testing.T) {
	if _, err := Hash("short"); !errors.Is(err, ErrInvalid) {
		t.Errorf("err %v", err)
	}
}

func TestMain(m *testing.M) {
	hashCost = bcrypt.MinCost // the race detector makes cost 12 take seconds
	os.Exit(m.Run())
}
