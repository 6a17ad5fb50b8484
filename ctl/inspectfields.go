package ctl

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/pipeline"
)

// fieldDumpJSON is the document of omsctl inspect --fields --json. It is
// written as it is read, one field a line, and ends with the error of the
// input, if any.
type fieldDumpJSON struct {
	File   string          `json:"file"`
	Fields []afp.FieldInfo `json:"fields"`
	Error  string          `json:"error,omitempty"`
}

// runFieldDump prints the structured fields of the AFP file at path: a
// table, or with asJSON a fieldDumpJSON. Bad input ends the dump with an
// error naming the offset, after every field read before it.
func runFieldDump(w io.Writer, path string, asJSON bool) error {
	format, err := pipeline.DetectFormat(path)
	if err != nil {
		return err
	}
	if format != "afp" {
		return fmt.Errorf("inspect --fields: %s is %s, not AFP", path, format)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(w, 64<<10)
	if asJSON {
		err = dumpFieldsJSON(bw, path, f)
	} else {
		err = dumpFieldsText(bw, f)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func dumpFieldsText(w io.Writer, r io.Reader) error {
	io.WriteString(w, afp.FieldTextHeader)
	if err := afp.DumpFields(r, func(fi afp.FieldInfo) error { return fi.WriteText(w) }); err != nil {
		return fmt.Errorf("field dump: %w", err)
	}
	return nil
}

func dumpFieldsJSON(w io.Writer, path string, r io.Reader) error {
	name, _ := json.Marshal(path)
	fmt.Fprintf(w, "{\"file\":%s,\"fields\":[", name)
	sep := "\n"
	err := afp.DumpFields(r, func(fi afp.FieldInfo) error {
		b, err := json.Marshal(fi)
		if err != nil {
			return err
		}
		io.WriteString(w, sep)
		sep = ",\n"
		_, err = w.Write(b)
		return err
	})
	io.WriteString(w, "\n]")
	if err != nil {
		msg, _ := json.Marshal(err.Error())
		fmt.Fprintf(w, ",\"error\":%s", msg)
		err = fmt.Errorf("field dump: %w", err)
	}
	_, werr := io.WriteString(w, "}\n")
	if err == nil {
		err = werr
	}
	return err
}
