package config

import "os"

// SocketFileMode is the permission of the API's socket; SocketMode must
// have been validated.
func (a API) SocketFileMode() os.FileMode {
	m, err := ParseFileMode(a.SocketMode)
	if err != nil {
		return 0o600
	}
	return m
}

// validate checks the socket's permission: read and write for the owner,
// maybe the group, never others (the API acts on every job).
func (a API) validate(bad func(string, ...any)) {
	m, err := ParseFileMode(a.SocketMode)
	switch {
	case err != nil:
		bad("api.socket_mode: %v", err)
	case m != 0o600 && m != 0o660:
		bad("api.socket_mode is %q; use \"0600\" (owner only) or \"0660\" (owner and group)", a.SocketMode)
	}
}
