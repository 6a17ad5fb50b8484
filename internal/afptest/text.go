package afptest

// PTOCA control sequence types (chained: odd).
const (
	ptocaAMI = 0xC7 // absolute move inline
	ptocaAMB = 0xD3 // absolute move baseline
	ptocaTRN = 0xDB // transparent data
	ptocaNOP = 0xF8 // no operation, unchained: ends the chain
)

var lorem = []string{
	"Thank you for your order. Your account statement for this period follows.",
	"Please check the items listed below and contact us with any questions.",
	"Payments received after the closing date appear on your next statement.",
	"Balance carried forward, new charges, credits and adjustments are shown.",
}

// salutation starts a page's text: the escape, a move to the first line
// and "Dear NAME,".
func salutation(name string) []byte {
	b := []byte{0x2B, 0xD3}
	b = append(b, 4, ptocaAMI, 0x01, 0x68, 4, ptocaAMB, 0x02, 0xD0)
	return trn(b, EBCDIC("Dear "+name+",", 500))
}

// textBody is about n bytes of chained text lines, ending the chain.
func textBody(n int) []byte {
	var b []byte
	y := 0x0400
	for i := 0; len(b) < n; i++ {
		line := EBCDIC(lorem[i%len(lorem)], 500)
		b = append(b, 4, ptocaAMI, 0x01, 0x68, 4, ptocaAMB, byte(y>>8), byte(y))
		b = trn(b, line)
		y = (y + 0xF0) & 0x3FFF
	}
	return append(b, 2, ptocaNOP)
}

// trn appends text as transparent-data control sequences of at most 253
// bytes each.
func trn(b, text []byte) []byte {
	for len(text) > 0 {
		n := min(len(text), 253)
		b = append(append(b, byte(n+2), ptocaTRN), text[:n]...)
		text = text[n:]
	}
	return b
}
