package users

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/omsd/omsd/atomicfile"
)

// Put adds a user to the users file at path, or changes its role and
// password, and writes the file atomically (mode 0600). The file is created
// when it does not exist.
func Put(path, name string, role Role, password string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("%w: name %q: use letters, digits and . _ @ -", ErrInvalid, name)
	}
	if !role.Valid() {
		return fmt.Errorf("%w: role %q: use viewer, operator or admin", ErrInvalid, role)
	}
	hash, err := Hash(password)
	if err != nil {
		return err
	}
	var f file
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("users: %w", err)
	default:
		if _, err := Parse(data); err != nil {
			return err
		}
		if err := yaml.Unmarshal(data, &f); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	u := User{Name: name, Role: role, Password: hash}
	replaced := false
	for i := range f.Users {
		if f.Users[i].Name == name {
			f.Users[i], replaced = u, true
		}
	}
	if !replaced {
		f.Users = append(f.Users, u)
	}
	out, err := yaml.Marshal(f)
	if err != nil {
		return fmt.Errorf("users: %w", err)
	}
	_, err = atomicfile.WriteFile(path, bytes.NewReader(out), 0o600)
	return err
}
