package afptest

import (
	"fmt"
	"math/rand/v2"
)

// Structured field identifiers the generator writes.
const (
	idBRG, idERG = 0xD3A8C6, 0xD3A9C6
	idBRS, idERS = 0xD3A8CE, 0xD3A9CE
	idBFM, idEFM = 0xD3A8CD, 0xD3A9CD
	idBDG, idEDG = 0xD3A8C4, 0xD3A9C4
	idBMM, idEMM = 0xD3A8CC, 0xD3A9CC
	idBDT, idEDT = 0xD3A8A8, 0xD3A9A8
	idBNG, idENG = 0xD3A8AD, 0xD3A9AD
	idBPG, idEPG = 0xD3A8AF, 0xD3A9AF
	idBAG, idEAG = 0xD3A8C9, 0xD3A9C9
	idBPT, idEPT = 0xD3A89B, 0xD3A99B
	idPGP1       = 0xD3ACAF
	idMDD        = 0xD3A688
	idMCC        = 0xD3A288
	idMMC        = 0xD3A788
	idPGD        = 0xD3A6AF
	idPTD        = 0xD3B19B
	idPTX        = 0xD3EE9B
	idTLE        = 0xD3A090
	idIMM        = 0xD3ABCC
	idNOP        = 0xD3EEEE
)

var (
	firstNames = []string{"Anna", "Jürgen", "Björn", "Lena", "Özlem", "Max", "Sophie", "Günter", "Hans-Peter", "Ursula", "Renée"}
	lastNames  = []string{"Müller", "Schröder", "Weiß", "Groß", "Meier", "Schmidt", "Bäcker", "Öztürk", "Jäger", "Krämer", "Dupont & Söhne"}
	asciiFirst = []string{"Anna", "Max", "Sophie", "Lena", "Peter"}
	asciiLast  = []string{"Meier", "Schmidt", "Wagner", "Fischer", "Weber"}
)

// gen is the state of one Write.
type gen struct {
	w      *sfWriter
	rng    *rand.Rand
	opt    Options
	body   []byte // presentation text after the salutation, the same on every page
	gt     GroundTruth
	active string // map in effect
	page   int    // pages written
}

func (g *gen) run() {
	g.resources()
	g.w.field(idBDT, name8("OMSDRUN1"), []byte{0, 0})
	g.w.field(idNOP, EBCDIC(fmt.Sprintf("afptest run seed %d", g.opt.Seed), 500))
	g.active = runMaps[0].Name
	for g.page < g.opt.Pages {
		g.piece()
	}
	last := g.w.mark()
	g.w.field(idEDT, name8("OMSDRUN1"))
	g.gt.Size, g.gt.TrailerLen = g.w.off, g.w.off-last
	g.gt.HeaderLen = g.gt.Pieces[0].Offset
}

// resources writes the inline resource group with the form map.
func (g *gen) resources() {
	w := g.w
	w.field(idBRG, name8("OMSDRG01"))
	w.field(idBRS, name8("F1OMSD01"), []byte{0, 0, 0x0A, 0x21, 0xFE, 0, 0, 0, 0, 0, 0, 0})
	w.field(idBFM, name8("F1OMSD01"))
	w.field(idBDG)
	w.field(idPGP1, make([]byte, 6))
	w.field(idMDD, []byte{0, 0, 0x09, 0x60, 0x09, 0x60, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x68, 0})
	w.field(idEDG)
	settings := map[string][]byte{
		"SIMPLEX": {0xF4, 0x01}, "DUPLEX": {0xF4, 0x02}, "TUMBLE": {0xF4, 0x03}, "NUP2DUP": {0xF4, 0x02, 0xFC, 0x02},
	}
	for _, m := range runMaps {
		w.field(idBMM, name8(m.Name))
		kw := settings[m.Name]
		if m.PagesPerSheet == 1 {
			w.field(idMCC, []byte{0, 1, 0, 1, 0, 1})
			w.field(idMMC, append([]byte{1, 0xFF, 0xE1, 0x01}, kw...))
		} else { // duplex: copy subgroups in pairs, front then back
			w.field(idMCC, []byte{0, 1, 0, 1, 0, 1, 0, 2, 0, 2, 0, 2})
			w.field(idMMC, append([]byte{1, 0xFF, 0xE1, 0x01}, kw...))
			w.field(idMMC, append([]byte{2, 0xFF, 0xE1, 0x01}, kw...))
		}
		w.field(idEMM, name8(m.Name))
	}
	w.field(idEFM, name8("F1OMSD01"))
	w.field(idERS, name8("F1OMSD01"))
	w.field(idERG, name8("OMSDRG01"))
}

// piece writes one mail piece and records its truth.
func (g *gen) piece() {
	seq := len(g.gt.Pieces) + 1
	p := Piece{Seq: seq, Name: fmt.Sprintf("L%07d", seq), Offset: g.w.mark(), FirstPage: g.page + 1}
	p.Pages = min(g.piecePages(), g.opt.Pages-g.page)
	style := g.rng.IntN(20)
	m := runMaps[g.rng.IntN(len(runMaps))].Name
	if style >= 9 && style < 16 { // IMM before the group
		g.imm(&p, m)
	}
	g.w.field(idBNG, name8(p.Name))
	if style < 9 { // IMM inside the group, as Apache FOP writes it
		g.imm(&p, m)
	}
	if len(p.Maps) == 0 {
		p.StartMap = g.active
	}
	g.tles(&p)
	switchAt := 0
	if p.Pages >= 3 && g.rng.IntN(10) == 0 {
		switchAt = 2 + g.rng.IntN(p.Pages-1) // before page switchAt
	}
	var c sheets
	c.per = perSheet(g.active)
	for i := 1; i <= p.Pages; i++ {
		if i == switchAt {
			g.imm(&p, "SIMPLEX")
			c.per, c.on = 1, 0
		}
		c.page()
		g.pageFields(&p)
	}
	g.w.field(idENG, name8(p.Name))
	p.Sheets, p.Length = c.sheets, g.w.mark()-p.Offset
	g.gt.Pages += p.Pages
	g.gt.Sheets += p.Sheets
	g.gt.Pieces = append(g.gt.Pieces, p)
}

// smallPieces weighs the page counts of small-page pieces (1 to 6 pages,
// 2.95 on average), in 20ths.
var smallPieces = [20]int{1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6}

// piecePages draws the number of pages of the next piece.
func (g *gen) piecePages() int {
	if g.opt.SmallPages {
		return smallPieces[g.rng.IntN(len(smallPieces))]
	}
	return 1 + g.rng.IntN(9)
}

func (g *gen) imm(p *Piece, m string) {
	g.w.field(idIMM, name8(m))
	g.active = m
	for _, have := range p.Maps {
		if have == m {
			return
		}
	}
	p.Maps = append(p.Maps, m)
}

// tles writes the piece's three TLEs in one of three encodings.
func (g *gen) tles(p *Piece) {
	enc := g.rng.IntN(20)
	first, last := firstNames, lastNames
	if enc >= 17 {
		first, last = asciiFirst, asciiLast
	}
	p.Attrs = []Attr{
		{"ACCOUNT", fmt.Sprintf("AC%07d", p.Seq)},
		{"NAME", first[g.rng.IntN(len(first))] + " " + last[g.rng.IntN(len(last))]},
		{"POSTCODE", fmt.Sprintf("%05d", g.rng.IntN(100000))},
	}
	for _, a := range p.Attrs {
		switch {
		case enc < 14:
			g.w.field(idTLE, tle(EBCDIC(a.Name, 500), EBCDIC(a.Value, 500), 0))
		case enc < 17:
			g.w.field(idTLE, tle(EBCDIC(a.Name, 273), EBCDIC(a.Value, 273), 273))
		default:
			g.w.field(idTLE, tle([]byte(a.Name), []byte(a.Value), 0))
		}
	}
}

// pageFields writes one page: environment, then a salutation and the text.
func (g *gen) pageFields(p *Piece) {
	g.page++
	w := g.w
	name := name8(fmt.Sprintf("P%07d", g.page))
	w.field(idBPG, name)
	w.field(idBAG)
	w.field(idPGD, []byte{0, 0, 0x09, 0x60, 0x09, 0x60, 0, 0x13, 0xB0, 0, 0x1B, 0x5C, 0, 0, 0})
	w.field(idPTD, []byte{0, 0, 0x09, 0x60, 0x09, 0x60, 0, 0x13, 0xB0, 0, 0x1B, 0x5C, 0, 0})
	w.field(idEAG)
	w.field(idBPT)
	w.field(idPTX, salutation(p.Value("NAME")))
	for rest := g.body; len(rest) > 0; { // text continues over as many fields as it takes
		n := min(len(rest), 32000)
		w.field(idPTX, rest[:n])
		rest = rest[n:]
	}
	w.field(idEPT)
	w.field(idEPG, name)
}

// sheets counts sheets as a printer fills them.
type sheets struct{ per, on, sheets int }

func (c *sheets) page() {
	if c.on == 0 {
		c.sheets++
	}
	if c.on++; c.on >= c.per {
		c.on = 0
	}
}

func perSheet(name string) int {
	for _, m := range runMaps {
		if m.Name == name {
			return m.PagesPerSheet
		}
	}
	return 1
}
