// Package postagetest makes synthetic mail runs for the tests and
// benchmarks of package postage: pieces with page counts, postal codes,
// names, addresses and customer ids, some to shared households, some with
// bad data. The same seed gives the same run.
package postagetest

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/postage"
)

// Metadata fields the generated pieces carry.
const (
	FieldPostalCode = "postal_code"
	FieldCountry    = "country"
	FieldName       = "name"
	FieldAddress    = "address"
	FieldCustomer   = "customer_id"
)

// Options shape a synthetic run.
type Options struct {
	// Carrier picks the postal code style: deutschepost (5-digit PLZ),
	// usps (ZIP or ZIP+4), royalmail (UK postcodes).
	Carrier string
	// MaxPages bounds the pages per piece (at least 1); default 6.
	MaxPages int
	// HouseholdShare is the share of pieces that go to the household of
	// an earlier piece (same customer, name and address, spelt alike).
	HouseholdShare float64
	// BadShare is the share of pieces with a missing or malformed postal
	// code or a foreign country.
	BadShare float64
	// HotCodes is how many postal codes take half of the pieces (to fill
	// presort groups); default 2000.
	HotCodes int
}

// Pieces returns n synthetic pieces numbered 1..n.
func Pieces(n int, seed uint64, o Options) []postage.Piece {
	if o.MaxPages < 1 {
		o.MaxPages = 6
	}
	if o.HotCodes < 1 {
		o.HotCodes = 2000
	}
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), o: o, b: meta.NewBuilder()}
	pieces := make([]postage.Piece, n)
	for i := range pieces {
		pages := 1 + g.r.IntN(o.MaxPages)
		p := postage.Piece{Seq: i + 1, Pages: pages, Sheets: pages}
		if i > 0 && g.r.Float64() < o.HouseholdShare {
			p.Meta = pieces[g.r.IntN(i)].Meta // same recipient
		} else {
			p.Meta = g.meta(i)
		}
		pieces[i] = p
	}
	return pieces
}

type gen struct {
	r *rand.Rand
	o Options
	b *meta.Builder
}

// meta makes the metadata of a new recipient, in the generator's
// table.
func (g *gen) meta(i int) meta.Fields {
	customer := "C" + strconv.Itoa(i+1)
	name := names[g.r.IntN(len(names))] + " " + strconv.Itoa(g.r.IntN(100000))
	address := streets[g.r.IntN(len(streets))] + " " + strconv.Itoa(1+g.r.IntN(200))
	b := g.b
	b.Set(FieldCustomer, customer)
	b.Set(FieldName, name)
	b.Set(FieldAddress, address)
	b.Set(FieldPostalCode, g.postal())
	if g.r.Float64() < g.o.BadShare {
		switch g.r.IntN(3) {
		case 0:
			b.Drop()
			b.Set(FieldCustomer, customer)
			b.Set(FieldName, name)
			b.Set(FieldAddress, address)
		case 1:
			b.Set(FieldPostalCode, "12A4")
		default:
			b.Set(FieldCountry, "Atlantis")
		}
	}
	return b.End()
}

// postal makes a postal code: half from a small set of hot codes, half
// anywhere.
func (g *gen) postal() string {
	n := g.r.IntN(99000) + 1000
	if g.r.IntN(2) == 0 {
		n = 1000 + (g.r.IntN(g.o.HotCodes)*7919)%99000
	}
	switch g.o.Carrier {
	case "usps":
		if g.r.IntN(2) == 0 {
			return fmt.Sprintf("%05d-%04d", n, g.r.IntN(10000))
		}
		return fmt.Sprintf("%05d", n)
	case "royalmail":
		return fmt.Sprintf("%c%c%d %d%c%c", 'A'+n%26, 'A'+n/26%26, 1+n%9, n%10, 'A'+n/7%26, 'A'+n/11%26)
	}
	return fmt.Sprintf("%05d", n)
}

var names = []string{"Anna Schmidt", "Jörg Müller", "Mary Smith", "John Miller", "Élodie Martin", "Ravi Patel"}

var streets = []string{"Hauptstraße", "Bahnhofstr.", "Main Street", "Oak Avenue", "High Road", "Gartenweg"}
