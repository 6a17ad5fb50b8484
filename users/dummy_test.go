package users

import "testing"

// madeAtLoad says whether the package's variables, once initialised,
// held the hash, before any test ran.
var madeAtLoad bool

func init() { madeAtLoad = dummy.hash != nil }

// TestDummyHashMadeWithTheFirstDirectory checks that the hash for unknown
// users is made when a users file is parsed, before the first
// Authenticate, and not when the package is loaded.
func TestDummyHashMadeWithTheFirstDirectory(t *testing.T) {
	if madeAtLoad {
		t.Fatal("the unknown-user hash was made when the package was loaded: every omsctl command pays for bcrypt at start")
	}
	if _, err := Parse([]byte("users: []\n")); err != nil {
		t.Fatal(err)
	}
	if dummy.hash == nil {
		t.Fatal("no unknown-user hash after a users file was parsed: the first Authenticate of an unknown name would take longer")
	}
}
