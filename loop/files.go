package loop

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"

	"github.com/omsd/omsd/atomicfile"
)

func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = atomicfile.WriteFile(path, bytes.NewReader(append(b, '\n')), 0o644)
	return err
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
