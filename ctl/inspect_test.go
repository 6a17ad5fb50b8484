package ctl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	o := pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true, Title: func(i int) string { return fmt.Sprintf("Letter %d", i+1) }}
	path := filepath.Join(dir, "run.pdf")
	if err := pdftest.WriteFile(path, o); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Run(context.Background(), []string{"inspect", path, "--json", "--duplex"}, &out, &out); err != nil {
		t.Fatalf("inspect: %v\n%s", err, out.String())
	}
	var got struct {
		Format string `json:"format"`
		Pages  int    `json:"pages"`
		Sheets int    `json:"sheets"`
		Method string `json:"method"`
		Pieces []struct {
			Seq       int               `json:"seq"`
			FirstPage int               `json:"first_page"`
			Pages     int               `json:"pages"`
			Sheets    int               `json:"sheets"`
			Meta      map[string]string `json:"meta"`
		} `json:"pieces"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Format != "pdf" || got.Pages != 6 || got.Sheets != 4 || got.Method != "bookmarks" || len(got.Pieces) != 3 {
		t.Fatalf("inspect --json = %s", out.String())
	}
	if p := got.Pieces[2]; p.Seq != 3 || p.FirstPage != 4 || p.Pages != 3 || p.Sheets != 2 || p.Meta["title"] != "Letter 3" {
		t.Errorf("piece 3 = %+v", p)
	}

	// Sidecar beside the file wins; the table names the method.
	os.WriteFile(filepath.Join(dir, "run.json"), pdftest.Sidecar(o), 0o644)
	out.Reset()
	if err := Run(context.Background(), []string{"inspect", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "found by sidecar") || !strings.Contains(out.String(), "account=A000002") {
		t.Errorf("inspect table:\n%s", out.String())
	}

	bad := filepath.Join(dir, "bad.bin")
	os.WriteFile(bad, []byte("hello"), 0o644)
	if err := Run(context.Background(), []string{"inspect", bad}, &out, &out); err == nil || !strings.Contains(err.Error(), "neither PDF nor AFP") {
		t.Errorf("inspect of a text file: %v", err)
	}
}
