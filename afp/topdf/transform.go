package topdf

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/omsd/omsd/afp"
)

// Structured field identifiers the transform acts on, beyond afp's.
const (
	idBPT  uint32 = 0xD3A89B
	idEPT  uint32 = 0xD3A99B
	idPTX  uint32 = 0xD3EE9B
	idPTD1 uint32 = 0xD3A69B
	idPTD2 uint32 = 0xD3B19B
	idPGD  uint32 = 0xD3A6AF
	idMCF  uint32 = 0xD3AB8A
	idMCF1 uint32 = 0xD3B18A
	idBIM  uint32 = 0xD3A8FB
	idEIM  uint32 = 0xD3A9FB
	idIDD  uint32 = 0xD3A6FB
	idIPD  uint32 = 0xD3EEFB
	idOBD  uint32 = 0xD3A66B
	idOBP  uint32 = 0xD3AC6B
	idMIO  uint32 = 0xD3ABFB
	idBGR  uint32 = 0xD3A8BB
	idEGR  uint32 = 0xD3A9BB
	idGDD  uint32 = 0xD3A6BB
	idGAD  uint32 = 0xD3EEBB
	idMGO  uint32 = 0xD3ABBB
	idBBC  uint32 = 0xD3A8EB
	idEBC  uint32 = 0xD3A9EB
	idIPO  uint32 = 0xD3AFD8
	idIPS  uint32 = 0xD3AF5F
	idIOB  uint32 = 0xD3AFC3
	idMDR  uint32 = 0xD3ABC3
	idBOC  uint32 = 0xD3A892
	idOCD  uint32 = 0xD3EE92
	idBMO  uint32 = 0xD3A8DF
	idEMO  uint32 = 0xD3A9DF
	idBPS  uint32 = 0xD3A85F
	idEPS  uint32 = 0xD3A95F
	idBOG  uint32 = 0xD3A8C7
	idEOG  uint32 = 0xD3A9C7
	idBAG  uint32 = 0xD3A8C9
	idEAG  uint32 = 0xD3A9C9
)

// Bounds on what the transform keeps from its input.
const (
	maxResourceBytes = 64 << 20 // resources held from the resource group, in all
	maxNesting       = 8        // overlays and page segments inside each other
	maxWarnings      = 1000     // distinct warnings kept; more are counted
)

// Options say what to transform and where fonts and resources are.
type Options struct {
	// Piece, when above 0, transforms only the Piece-th named page group
	// (BNG…ENG), counting from 1.
	Piece int
	// ResourceDir holds overlays and page segments that are not in the
	// file's resource group, one file per resource, named as the resource
	// (optionally with .afp, .ovl, .psg or .seg after it).
	ResourceDir string
	// FontDir holds the TrueType files of the font table; DefaultFontDir
	// when empty.
	FontDir string
	// FontTable is the text of a font table (see ShippedFontTable); the
	// shipped one when empty.
	FontTable string
	// FirstPage and LastPage, when above 0, transform only the pages of
	// the file from FirstPage to LastPage (1-based, counting every page
	// of the file), within the piece if one is asked for.
	FirstPage, LastPage int
}

// Warning is content the transform could not render as the file asks.
type Warning struct {
	Field   string `json:"field"`  // the structured field: "BBC", "PTX"
	Offset  int64  `json:"offset"` // of its 0x5A in the input (of the first, if repeated)
	Message string `json:"message"`
	Count   int    `json:"count"` // how often it happened
}

func (w Warning) String() string {
	s := fmt.Sprintf("offset %d: %s: %s", w.Offset, w.Field, w.Message)
	if w.Count > 1 {
		s += fmt.Sprintf(" (%d times)", w.Count)
	}
	return s
}

// Result is what a transform made.
type Result struct {
	Pages    int       `json:"pages"`
	Groups   []string  `json:"groups,omitempty"` // names of the page groups transformed
	Warnings []Warning `json:"warnings"`
	// MoreWarnings counts the distinct warnings beyond those kept.
	MoreWarnings int `json:"more_warnings,omitempty"`
}

// resource is an overlay or page segment: its fields, kept in memory.
type resource struct {
	kind   uint32 // idBMO or idBPS
	fields []*afp.Field
}

// transformer is one run.
type transformer struct {
	opt     Options
	pdf     *pdfWriter
	res     *Result
	warnIdx map[string]int

	fontTable   *fontTable
	fontFiles   map[string]*trueType // by file name
	fonts       map[string]*pdfFont  // by file name
	fontList    []*pdfFont
	cpTables    map[int]*[256]rune
	fontSels    map[string]*fontSel // by font spec
	rasterFonts []*type3Font

	resources map[string]*resource
	resOrder  []*resource // as they came in the file
	resBytes  int
	dirRes    map[string]*resource // loaded from ResourceDir

	pagesObj int
	pageObjs []int
	outline  []outlineEntry
	pending  *outlineEntry // the page group begun, until its first page
	images   int
}

type outlineEntry struct {
	title string
	page  int         // index into pageObjs
	attrs [][2]string // the page group's TLEs: name, value
}

// Transform reads the AFP print file in and writes it as a PDF to out.
// The input is read once, front to back; the PDF is written as it goes.
func Transform(in io.Reader, out io.Writer, opt Options) (*Result, error) {
	t := &transformer{opt: opt, res: &Result{Warnings: []Warning{}}, warnIdx: map[string]int{},
		fontFiles: map[string]*trueType{}, fonts: map[string]*pdfFont{}, cpTables: map[int]*[256]rune{}, fontSels: map[string]*fontSel{},
		resources: map[string]*resource{}, dirRes: map[string]*resource{}}
	if t.opt.FontDir == "" {
		t.opt.FontDir = DefaultFontDir
	}
	table := opt.FontTable
	if table == "" {
		table = shippedFontTable
	}
	var err error
	if t.fontTable, err = parseFontTable(table); err != nil {
		return nil, err
	}
	t.pdf = newPDFWriter(out)
	t.pagesObj = t.pdf.reserve()
	if err := t.run(afp.NewReader(in)); err != nil {
		return nil, err
	}
	if len(t.pageObjs) == 0 {
		if opt.Piece > 0 {
			return nil, fmt.Errorf("%w: piece %d: the file has fewer named page groups", ErrPiece, opt.Piece)
		}
		if opt.FirstPage > 0 || opt.LastPage > 0 {
			return nil, fmt.Errorf("%w: no pages %d to %d in the file", ErrPiece, opt.FirstPage, opt.LastPage)
		}
		if err := t.resourcePages(); err != nil {
			return nil, err
		}
	}
	if err := t.finish(); err != nil {
		return nil, err
	}
	t.res.Pages = len(t.pageObjs)
	return t.res, nil
}

// warn records a warning, once per field name and message.
func (t *transformer) warn(f *afp.Field, format string, args ...any) {
	name, off := "", int64(0)
	if f != nil {
		name, off = f.Name(), f.Offset
	}
	msg := fmt.Sprintf(format, args...)
	key := name + "\x00" + msg
	if i, ok := t.warnIdx[key]; ok {
		t.res.Warnings[i].Count++
		return
	}
	if len(t.res.Warnings) >= maxWarnings {
		t.res.MoreWarnings++
		return
	}
	t.warnIdx[key] = len(t.res.Warnings)
	t.res.Warnings = append(t.res.Warnings, Warning{Field: name, Offset: off, Message: msg, Count: 1})
}

// run walks the print file: resource groups are kept, pages rendered.
func (t *transformer) run(r *afp.Reader) error {
	group := 0         // named page groups begun
	pageNo := 0        // pages begun
	inGroup := false   // inside BNG…ENG
	var pg *pageOut    // the page being rendered
	var keep *resource // the resource being collected
	var keepName, brsName string
	depth := 0 // nesting inside the kept resource
	for {
		f, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrInput, err)
		}
		if keep != nil {
			if t.resBytes += len(f.Data); t.resBytes > maxResourceBytes {
				return fmt.Errorf("%w: resources of more than %d bytes in the resource group", ErrInput, maxResourceBytes)
			}
			keep.fields = append(keep.fields, f)
			switch {
			case afp.IsBegin(f.ID):
				depth++
			case afp.IsEnd(f.ID):
				if depth--; depth == 0 {
					t.resources[keepName] = keep
					t.resOrder = append(t.resOrder, keep)
					if brsName != "" {
						t.resources[brsName] = keep
					}
					keep = nil
				}
			}
			continue
		}
		if pg != nil {
			if f.ID == afp.IDEPG && pg.depth == 0 {
				if err := t.endPage(pg); err != nil {
					return err
				}
				pg = nil
				continue
			}
			if err := pg.feed(f); err != nil {
				return err
			}
			continue
		}
		switch f.ID {
		case idBMO, idBPS, idBIM, idBGR, idBBC, idBOC, idBFN, idBCP:
			keep, keepName, depth = &resource{kind: f.ID, fields: []*afp.Field{f}}, resourceName(f.Data), 1
		case afp.IDBRS:
			brsName = brsLongName(f.Data)
		case afp.IDERS:
			brsName = ""
		case afp.IDBNG:
			group++
			inGroup = true
			// listed when its first page is transformed
			t.pending = &outlineEntry{title: groupName(f.Data)}
		case afp.IDENG:
			inGroup = false
			t.pending = nil
		case afp.IDTLE:
			if inGroup && t.pending != nil {
				t.addAttr(f)
			}
		case afp.IDBPG:
			pageNo++
			if t.wanted(group, inGroup) && t.wantedPage(pageNo) {
				if t.pending != nil {
					t.pending.page = len(t.pageObjs)
					t.res.Groups = append(t.res.Groups, t.pending.title)
					t.outline = append(t.outline, *t.pending)
					t.pending = nil
				}
				pg = t.newPage(f)
			} else {
				if err := skipTo(r, afp.IDEPG); err != nil {
					return err
				}
			}
		case afp.IDEPG:
			// a page skipped above ends here
		default:
			if afp.IsBegin(f.ID) || afp.IsEnd(f.ID) || f.ID == afp.IDNOP || f.ID == afp.IDTLE || f.ID == afp.IDIMM {
				continue // structure around pages: documents, resource groups, form maps, indexes
			}
			switch f.ID {
			case idPTX, idIPD, idGAD, 0xD3EEEB:
				t.warn(f, "drawing data outside any page or resource; not drawn")
			}
			// everything else outside pages describes resources (form
			// maps, fonts, code pages, indexes): nothing to draw
		}
	}
}

// addAttr adds a TLE before a page group's first page to its outline
// entry.
func (t *transformer) addAttr(f *afp.Field) {
	e := t.pending
	sum := afp.Describe(f).Summary
	name, quoted, ok := strings.Cut(sum, "=")
	if !ok || len(e.attrs) >= 32 {
		return
	}
	value, err := strconv.Unquote(quoted)
	if err != nil {
		return
	}
	e.attrs = append(e.attrs, [2]string{name, value})
}

// wantedPage tells whether page n of the file is transformed.
func (t *transformer) wantedPage(n int) bool {
	return (t.opt.FirstPage <= 0 || n >= t.opt.FirstPage) && (t.opt.LastPage <= 0 || n <= t.opt.LastPage)
}

// wanted tells whether pages in group number g are transformed.
func (t *transformer) wanted(g int, inGroup bool) bool {
	return t.opt.Piece == 0 || inGroup && g == t.opt.Piece
}

// skipTo reads fields up to and including one with the identifier id.
func skipTo(r *afp.Reader, id uint32) error {
	for {
		f, err := r.Next()
		if err == io.EOF {
			return fmt.Errorf("%w: the file ends inside a page", ErrInput)
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrInput, err)
		}
		if f.ID == id {
			return nil
		}
	}
}

// resourceName is the 8-byte token name of a Begin field.
func resourceName(data []byte) string {
	return strings.TrimRight(afp.DecodeText(data[:min(8, len(data))], afp.DefaultCodePage), " \x00")
}

// brsLongName is a Begin Resource's name: the long name of its FQN
// triplet of type 01 (in the code page of its 0x01 triplet) if it has
// one, else its token name.
func brsLongName(data []byte) string {
	if len(data) > 10 {
		cp := afp.DefaultCodePage
		var long []byte
		d := data[10:]
		for len(d) >= 2 {
			n := int(d[0])
			if n < 2 || n > len(d) {
				break
			}
			switch {
			case d[1] == 0x01 && n >= 6:
				cp = int(d[4])<<8 | int(d[5])
			case d[1] == 0x02 && n > 4 && d[2] == 0x01:
				long = d[4:n]
			}
			d = d[n:]
		}
		if long != nil {
			return strings.TrimRight(afp.DecodeText(long, cp), " \x00")
		}
	}
	return resourceName(data)
}

// groupName is a page group's name, long or token.
func groupName(data []byte) string {
	n := resourceName(data)
	if n == "" {
		return "piece"
	}
	return n
}

// lookupResource finds an overlay or page segment by name: in the
// resource group, then in the resource directory.
func (t *transformer) lookupResource(name string) (*resource, error) {
	if r := t.resources[name]; r != nil {
		return r, nil
	}
	if r, ok := t.dirRes[name]; ok {
		return r, nil
	}
	if t.opt.ResourceDir == "" || name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return nil, nil
	}
	var res *resource
	for _, ext := range []string{"", ".afp", ".ovl", ".psg", ".seg", ".OVL", ".PSG"} {
		for _, n := range []string{name, strings.ToLower(name)} {
			path := filepath.Join(t.opt.ResourceDir, n+ext)
			fi, err := os.Stat(path)
			if err != nil {
				continue
			}
			if t.resBytes += int(fi.Size()); t.resBytes > maxResourceBytes {
				return nil, fmt.Errorf("%w: resources of more than %d bytes", ErrInput, maxResourceBytes)
			}
			fh, err := os.Open(path)
			if err != nil {
				return nil, fmt.Errorf("%w: resource %s: %v", ErrInput, name, err)
			}
			res, err = readResourceFile(fh)
			fh.Close()
			if err != nil {
				return nil, fmt.Errorf("%w: resource %s (%s): %w", ErrInput, name, path, err)
			}
			break
		}
		if res != nil {
			break
		}
	}
	t.dirRes[name] = res
	return res, nil
}

// readResourceFile reads an overlay or page segment file: the fields from
// its BMO or BPS to the matching end.
func readResourceFile(in io.Reader) (*resource, error) {
	r := afp.NewReader(in)
	var res *resource
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if res == nil && (f.ID == idBMO || f.ID == idBPS) {
			res = &resource{kind: f.ID}
		}
		if res != nil {
			res.fields = append(res.fields, f)
			if f.ID == idEMO || f.ID == idEPS {
				return res, nil
			}
		}
	}
	if res == nil {
		return nil, errors.New("no overlay (BMO) or page segment (BPS) in the file")
	}
	return res, nil
}

// resourcePages renders a file without pages (a resource library: fonts,
// overlays, page segments, images): each overlay, page segment or object
// as a page of its own, or one empty page when there is nothing to draw.
func (t *transformer) resourcePages() error {
	for _, res := range t.resOrder {
		begin := res.fields[0]
		if res.kind == idBFN || res.kind == idBCP || res.kind == idBOC {
			continue // fonts, code pages and object containers draw nothing by themselves
		}
		t.warn(begin, "the file has no pages; %s %s drawn on a page of its own", begin.Name(), resourceName(begin.Data))
		pg := t.newPage(begin)
		sp := pg.sp
		var err error
		switch res.kind {
		case idBMO:
			for _, f := range res.fields[1:] {
				if f.ID == idEMO {
					break
				}
				if err = sp.feed(f); err != nil {
					break
				}
			}
		case idBPS:
			err = sp.includeSpace(begin, resourceName(begin.Data), res, 0, 0)
		default:
			err = sp.drawObject(&dataObject{begin: begin, fields: res.fields[1:]}, begin)
		}
		if err != nil {
			return err
		}
		if err := t.endPage(pg); err != nil {
			return err
		}
	}
	if len(t.pageObjs) == 0 {
		t.warn(nil, "the file has no pages and nothing to draw (fonts, form maps or code pages only); one empty page written")
		if err := t.endPage(t.newPage(&afp.Field{})); err != nil {
			return err
		}
	}
	return nil
}
