package afptest

import (
	"bufio"
	"bytes"
	"fmt"
)

// Simplex writes a plain print file: one page group per entry of pieces
// with that many pages, each group with a TLE zip (10001, 10038, …), each
// page A4 at 240 units per inch with one small presentation text object;
// no resource group, no form map. Tests that add to pages start here.
func Simplex(pieces []int) []byte {
	var buf bytes.Buffer
	s := &sfWriter{bw: bufio.NewWriter(&buf)}
	pgd := []byte{0, 0, 0x09, 0x60, 0x09, 0x60, 0, 0x07, 0xC0, 0, 0x0A, 0xF6, 0, 0, 0}
	s.field(idBDT, name8("DOC"))
	for i, n := range pieces {
		group := name8(fmt.Sprintf("P%d", i+1))
		s.field(idBNG, group)
		s.field(idTLE, tle(EBCDIC("zip", 500), EBCDIC(fmt.Sprintf("%05d", 10001+i*37), 500), 0))
		for j := range n {
			pg := name8(fmt.Sprintf("G%dP%d", i+1, j+1))
			s.field(idBPG, pg)
			s.field(idBAG)
			s.field(idPGD, pgd)
			s.field(idEAG)
			s.field(idBPT)
			s.field(idPTX, []byte{0x2B, 0xD3, 2, 0xF8})
			s.field(idEPT)
			s.field(idEPG, pg)
		}
		s.field(idENG, group)
	}
	s.field(idEDT, name8("DOC"))
	if err := s.flush(); err != nil {
		panic(err) // a bytes.Buffer does not fail; the fields are small
	}
	return buf.Bytes()
}
