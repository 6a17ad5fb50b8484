package archive

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/omsd/omsd/archive/index"
	"github.com/omsd/omsd/atomicfile"
)

// ExportResult names what an export wrote.
type ExportResult struct {
	Pieces    int    `json:"pieces"`
	IndexFile string `json:"index_file"`
	Dir       string `json:"dir"`
}

// ExportCMOD writes the pieces q selects into dir, one file per piece,
// with an IBM Content Manager OnDemand generic indexer parameter file
// (omsd-export.ind) naming each file and its index fields, so that a site
// can load them into OnDemand with arsload.
func (s *Service) ExportCMOD(ctx context.Context, q index.Query, dir, user string) (ExportResult, error) {
	res := ExportResult{Dir: dir, IndexFile: filepath.Join(dir, "omsd-export.ind")}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	recs, err := s.Search(q, user)
	if err != nil {
		return res, err
	}
	var ind bytes.Buffer
	ind.WriteString("CODEPAGE:819\n")
	for _, r := range recs {
		data, _, err := s.Get(ctx, r.ID, user)
		if err != nil {
			return res, err
		}
		name := r.ID + "." + r.Format
		if _, err := atomicfile.WriteFile(filepath.Join(dir, name), bytes.NewReader(data), 0o644); err != nil {
			return res, err
		}
		writeGroup(&ind, r, name)
		res.Pieces++
	}
	_, err = atomicfile.WriteFile(res.IndexFile, &ind, 0o644)
	return res, err
}

// writeGroup writes one document's group of the generic indexer file.
func writeGroup(w *bytes.Buffer, r Record, file string) {
	fmt.Fprintf(w, "COMMENT: piece %s\n", r.ID)
	field := func(name, value string) {
		value = strings.NewReplacer("\n", " ", "\r", " ").Replace(value)
		fmt.Fprintf(w, "GROUP_FIELD_NAME:%s\nGROUP_FIELD_VALUE:%s\n", name, value)
	}
	field("piece", r.ID)
	field("job", fmt.Sprint(r.Job))
	field("workflow", r.Workflow)
	field("printer", r.Printer)
	field("sdate", r.Sent.UTC().Format("01/02/06"))
	field("sha256", r.SHA256)
	keys := make([]string, 0, len(r.Fields))
	for k := range r.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		field(k, r.Fields[k])
	}
	fmt.Fprintf(w, "GROUP_OFFSET:0\nGROUP_LENGTH:0\nGROUP_FILENAME:%s\n", file)
}
