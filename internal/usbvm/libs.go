package usbvm

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// sharedLibraries returns the files a program needs to run: the shared
// libraries ldd lists and the dynamic loader, or nothing for a static
// program.
func sharedLibraries(ctx context.Context, program string) ([]string, error) {
	dynamic, err := isDynamic(program)
	if err != nil || !dynamic {
		return nil, err
	}
	out, err := run(ctx, "", "ldd", program)
	if err != nil {
		return nil, fmt.Errorf("%w: ldd (package libc-bin): %w", ErrTool, err)
	}
	return parseLdd(out)
}

// isDynamic reports whether an ELF program has a program interpreter;
// files that are not ELF (scripts) are not dynamic.
func isDynamic(program string) (bool, error) {
	f, err := elf.Open(program)
	if err != nil {
		if _, serr := os.Stat(program); serr != nil {
			return false, fmt.Errorf("usbvm: %w", serr)
		}
		return false, nil
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true, nil
		}
	}
	return false, nil
}

// parseLdd reads ldd output: "libx.so.1 => /lib/.../libx.so.1 (0x...)"
// and "/lib64/ld-linux-x86-64.so.2 (0x...)"; the vDSO has no file. A
// library ldd cannot find is an error.
func parseLdd(out []byte) ([]string, error) {
	var libs []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.Contains(line, "statically linked") {
			continue
		}
		if name, target, ok := strings.Cut(line, "=>"); ok {
			target = strings.TrimSpace(target)
			if strings.HasPrefix(target, "not found") {
				return nil, fmt.Errorf("usbvm: shared library %s not found", strings.TrimSpace(name))
			}
			line = target
		}
		file, _, _ := strings.Cut(line, " (")
		if filepath.IsAbs(file) {
			libs = append(libs, file)
		}
	}
	return libs, nil
}
