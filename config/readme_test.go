package config

import (
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestReadmeDocumentsEveryKey fails when a configuration key has no entry
// in the README's configuration reference: every key of Config, at its
// place in the tree, must appear in the reference's YAML example.
func TestReadmeDocumentsEveryKey(t *testing.T) {
	doc := readmeReference(t)
	var missing []string
	walkKeys(reflect.TypeOf(Config{}), "", func(path string) {
		if !documented(doc, strings.Split(path, ".")) {
			missing = append(missing, path)
		}
	})
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("configuration key %s is not in the README's configuration reference", m)
	}
}

// readmeReference parses the YAML example under "## Configuration
// reference" in the README.
func readmeReference(t *testing.T) any {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "## Configuration reference")
	if i < 0 {
		t.Fatal("README has no configuration reference")
	}
	s = s[i:]
	start := strings.Index(s, "```yaml\n")
	end := strings.Index(s[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("the configuration reference has no yaml block")
	}
	var doc any
	if err := yaml.Unmarshal([]byte(s[start+8:start+8+end]), &doc); err != nil {
		t.Fatalf("the configuration reference is not YAML: %v", err)
	}
	return doc
}

// walkKeys calls fn with the dotted path of every key below typ. Slices are
// walked through their elements; types that decode themselves are leaves.
func walkKeys(typ reflect.Type, prefix string, fn func(string)) {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct || reflect.PointerTo(typ).Implements(reflect.TypeFor[yaml.Unmarshaler]()) {
		return
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		fn(path)
		walkKeys(f.Type, path, fn)
	}
}

// documented reports whether the path exists in doc, where a list stands
// for any of its elements.
func documented(doc any, path []string) bool {
	if len(path) == 0 {
		return true
	}
	switch v := doc.(type) {
	case map[string]any:
		next, ok := v[path[0]]
		return ok && documented(next, path[1:])
	case []any:
		for _, e := range v {
			if documented(e, path) {
				return true
			}
		}
	}
	return false
}

// TestReadmeReferenceDecodes checks that the reference's example uses only
// keys omsd knows, with values of the right types.
func TestReadmeReferenceDecodes(t *testing.T) {
	b, err := yaml.Marshal(readmeReference(t))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		t.Errorf("the README's configuration reference does not decode: %v", err)
	}
}
