// Package users is omsd's directory of people who may act through a
// network front end (the web console, the IPP server's Basic
// authentication): a YAML file of names, bcrypt password hashes and one
// role each. The local API socket does not use it: the socket's owner is
// trusted.
package users

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"
)

// Role is what a user may do. Each role includes the ones below it.
type Role string

// The roles, from least to most.
const (
	Viewer   Role = "viewer"   // read everything
	Operator Role = "operator" // job and printer actions
	Admin    Role = "admin"    // everything, including alarms and archive holds
)

var rank = map[Role]int{Viewer: 1, Operator: 2, Admin: 3}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return rank[r] > 0 }

// Can reports whether a user with role r may do what needs role need.
func (r Role) Can(need Role) bool { return rank[r] > 0 && rank[r] >= rank[need] }

// Errors.
var (
	// ErrDenied is returned for an unknown user or a wrong password alike.
	ErrDenied = errors.New("users: wrong user name or password")
	// ErrInvalid wraps every problem with a users file.
	ErrInvalid = errors.New("users: invalid users file")
)

// User is one entry of the file.
type User struct {
	Name     string `yaml:"name"`
	Role     Role   `yaml:"role"`
	Password string `yaml:"password"` // a bcrypt hash, never the password
}

// file is the users file's shape.
type file struct {
	Users []User `yaml:"users"`
}

// Directory is a loaded users file.
type Directory struct {
	byName map[string]User
}

// hashCost is the bcrypt cost of the hashes Hash makes (about a quarter
// of a second each on a current core).
var hashCost = 12

// MinPasswordLength is the shortest password Hash accepts.
const MinPasswordLength = 8

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// dummy holds the hash compared against when the user is unknown, so
// that an unknown name takes as long to refuse as a wrong password. It is
// made when a users file is parsed, not when the package is loaded: every
// omsctl command would pay the ~60 ms of bcrypt at start.
var dummy struct {
	once sync.Once
	hash []byte
}

func dummyHash() []byte {
	dummy.once.Do(func() {
		dummy.hash, _ = bcrypt.GenerateFromPassword([]byte("omsd-unknown-user"), bcrypt.MinCost+6)
	})
	return dummy.hash
}

// Load reads and checks a users file. Every problem is listed in the error.
func Load(path string) (*Directory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return Parse(data)
}

// Parse checks a users file's contents.
func Parse(data []byte) (*Directory, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	d := &Directory{byName: make(map[string]User, len(f.Users))}
	var problems []string
	for i, u := range f.Users {
		switch {
		case !validName.MatchString(u.Name):
			problems = append(problems, fmt.Sprintf("user %d: name %q: use letters, digits and . _ @ -", i+1, u.Name))
			continue
		case !u.Role.Valid():
			problems = append(problems, fmt.Sprintf("user %s: role %q: use viewer, operator or admin", u.Name, u.Role))
		}
		if _, err := bcrypt.Cost([]byte(u.Password)); err != nil {
			problems = append(problems, fmt.Sprintf("user %s: password is not a bcrypt hash: make one with omsctl users add", u.Name))
		}
		if _, dup := d.byName[u.Name]; dup {
			problems = append(problems, fmt.Sprintf("user %s: listed twice", u.Name))
		}
		d.byName[u.Name] = u
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	dummyHash() // before the first Authenticate, which must not take longer for it
	return d, nil
}

// Authenticate returns the user when the password matches its hash.
func (d *Directory) Authenticate(name, password string) (User, error) {
	u, ok := d.byName[name]
	hash := dummyHash()
	if ok {
		hash = []byte(u.Password)
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(password))
	if !ok || err != nil {
		return User{}, ErrDenied
	}
	return u, nil
}

// Names lists the users, sorted.
func (d *Directory) Names() []string {
	names := make([]string, 0, len(d.byName))
	for n := range d.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Hash makes the bcrypt hash of a new password.
func Hash(password string) (string, error) {
	if len(password) < MinPasswordLength {
		return "", fmt.Errorf("%w: a password needs at least %d characters", ErrInvalid, MinPasswordLength)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), hashCost)
	if err != nil {
		return "", fmt.Errorf("users: %w", err)
	}
	return string(h), nil
}
