package records

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed layouts/*.yaml
var layoutsFS embed.FS

// Parse reads a layout from YAML, strict about unknown keys, and prepares
// it.
func Parse(data []byte) (*Layout, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var l Layout
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLayout, err)
	}
	if err := l.Prepare(); err != nil {
		return nil, err
	}
	return &l, nil
}

// Builtin returns the shipped layout named name.
func Builtin(name string) (*Layout, error) {
	data, err := layoutsFS.ReadFile("layouts/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("%w: no shipped layout %q (have %s)", ErrLayout, name, strings.Join(BuiltinNames(), ", "))
	}
	return Parse(data)
}

// BuiltinNames lists the shipped layouts.
func BuiltinNames() []string {
	entries, _ := layoutsFS.ReadDir("layouts")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
	}
	sort.Strings(names)
	return names
}

// Load returns a shipped layout by name, or reads one from a YAML file when
// ref ends in .yaml or .yml.
func Load(ref string) (*Layout, error) {
	if !strings.HasSuffix(ref, ".yaml") && !strings.HasSuffix(ref, ".yml") {
		return Builtin(ref)
	}
	data, err := os.ReadFile(ref)
	if err != nil {
		return nil, fmt.Errorf("layout file: %w", err)
	}
	l, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("layout file %s: %w", ref, err)
	}
	return l, nil
}
