package ctl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/omsd/omsd/users"
)

// runUsers: omsctl users add --file F --role R NAME (offline: it writes the
// users file the web console reads at each login).
func runUsers(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("users: want add --file F --role viewer|operator|admin NAME")
	}
	fs := e.newFlagSet("users add", "--file F --role viewer|operator|admin NAME")
	file := fs.String("file", "", "the users `file` (console.users_file, e.g. omsd-data/users.yaml)")
	role := fs.String("role", "", "viewer (read), operator (job and printer actions) or admin (everything)")
	pos, err := e.parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := wantArgs("users add", pos, "NAME"); err != nil {
		return err
	}
	if *file == "" {
		return errors.New("users add: give the users file with --file (console.users_file)")
	}
	if !users.Role(*role).Valid() {
		return fmt.Errorf("users add: role %q: use --role viewer, operator or admin", *role)
	}
	pw, err := readPassword(os.Stdin, e.stderr, pos[0])
	if err != nil {
		return fmt.Errorf("users add: %w", err)
	}
	if err := users.Put(*file, pos[0], users.Role(*role), pw); err != nil {
		return fmt.Errorf("users add: %w", err)
	}
	_, err = fmt.Fprintf(e.stdout, "user %s (%s) written to %s\n", pos[0], *role, *file)
	return err
}

// readPassword reads a new password: from a terminal without echo, asked
// twice; else the first line of in.
func readPassword(in *os.File, prompt io.Writer, name string) (string, error) {
	fd := int(in.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil { // not a terminal: a pipe or a file
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", fmt.Errorf("reading the password from stdin: %w (pipe it in, one line)", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	noEcho := *old
	noEcho.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &noEcho); err != nil {
		return "", fmt.Errorf("terminal: %w", err)
	}
	defer unix.IoctlSetTermios(fd, unix.TCSETS, old)
	r := bufio.NewReader(in)
	ask := func(p string) (string, error) {
		fmt.Fprint(prompt, p)
		line, err := r.ReadString('\n')
		fmt.Fprintln(prompt)
		return strings.TrimRight(line, "\r\n"), err
	}
	first, err := ask("password for " + name + ": ")
	if err != nil {
		return "", err
	}
	again, err := ask("again: ")
	if err != nil {
		return "", err
	}
	if first != again {
		return "", errors.New("the passwords differ; run the command again")
	}
	return first, nil
}
