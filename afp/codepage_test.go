package afp

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"testing"
	"unicode/utf8"
)

// iconvDecode decodes b with glibc iconv, the oracle for the tables.
func iconvDecode(t *testing.T, charset string, b []byte) []rune {
	t.Helper()
	if _, err := exec.LookPath("iconv"); err != nil {
		t.Fatalf("iconv not found (install the Debian package libc-bin): %v", err)
	}
	cmd := exec.Command("iconv", "-f", charset, "-t", "UTF-8")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("iconv -f %s: %v (glibc's gconv modules come with the Debian package libc6)", charset, err)
	}
	var runes []rune
	for len(out) > 0 {
		r, n := utf8.DecodeRune(out)
		runes = append(runes, r)
		out = out[n:]
	}
	return runes
}

func TestEBCDICTablesMatchIconv(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for cp, table := range ebcdic {
		charset := fmt.Sprintf("IBM%03d", cp)
		t.Run(charset, func(t *testing.T) {
			want := iconvDecode(t, charset, all)
			if len(want) != 256 {
				t.Fatalf("iconv gave %d runes for 256 bytes", len(want))
			}
			for b, r := range want {
				if table[b] != r {
					t.Errorf("byte %02X: table has %U, iconv %U", b, table[b], r)
				}
			}
		})
	}
	for _, cp := range []int{37, 273, 500, 1140, 1141} {
		if !SupportedCodePage(cp) {
			t.Errorf("code page %d missing", cp)
		}
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		cp   int
		want string
	}{
		{"500 umlauts", []byte{0xD1, 0xDC, 0x99, 0x87, 0x85, 0x95, 0x40, 0xE6, 0x85, 0x89, 0x59}, 500, "Jürgen Weiß"},
		{"273 umlauts", []byte{0xE6, 0x85, 0x89, 0xA1, 0x40, 0xD0}, 273, "Weiß ü"},
		{"500 vs 037 brackets", []byte{0x4A, 0x81, 0x5A, 0x4F}, 500, "[a]!"},
		{"037 brackets", []byte{0xBA, 0x81, 0xBB, 0x5A}, 37, "[a]!"},
		{"bytes that are ASCII letters and EBCDIC punctuation read as ASCII", []byte{0x4A, 0x5A, 0x4F}, 500, "JZO"},
		{"1141 euro", []byte{0xF5, 0x9F}, 1141, "5€"},
		{"1140 euro", []byte{0x9F}, 1140, "€"},
		{"273 currency, not euro", []byte{0x9F}, 273, "¤"},
		{"ascii digits", []byte("12345"), 500, "12345"},
		{"ascii words", []byte("Anna Meier"), 273, "Anna Meier"},
		{"ascii letters only", []byte("POSTCODE"), 500, "POSTCODE"},
		{"ebcdic spaces", []byte{0x40, 0x40}, 500, "  "},
		{"ebcdic punctuation", []byte{0x4B, 0x40}, 500, ". "},
		{"utf-8", []byte("Grüße"), 1208, "Grüße"},
		{"latin-1", []byte{'G', 0xFC}, 819, "Gü"},
		{"utf-16", []byte{0, 'A', 0, 0xFC}, 1200, "Aü"},
		{"unknown code page as 500", []byte{0x4A, 0x81}, 99999, "[a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DecodeText(tt.in, tt.cp); got != tt.want {
				t.Errorf("DecodeText(% X, %d) = %q, want %q", tt.in, tt.cp, got, tt.want)
			}
		})
	}
}

func TestEncodeText(t *testing.T) {
	for _, cp := range CodePages() {
		if cp == cpUTF16 || cp == cpUCS2 {
			if _, err := EncodeText("x", cp); !errors.Is(err, ErrCodePage) {
				t.Errorf("code page %d: got %v, want ErrCodePage", cp, err)
			}
			continue
		}
		s := "Account 12345, Jürgen"
		if cp == cpASCII {
			s = "Account 12345, Juergen"
		}
		b, err := EncodeText(s, cp)
		if err != nil {
			t.Errorf("code page %d: %v", cp, err)
			continue
		}
		if got := DecodeText(b, cp); got != s {
			t.Errorf("code page %d: %q encodes to % X, decodes to %q", cp, s, b, got)
		}
	}
	if _, err := EncodeText("€", 500); !errors.Is(err, ErrCodePage) {
		t.Errorf("euro in 500: got %v, want ErrCodePage", err)
	}
	if _, err := EncodeText("x", 4242); !errors.Is(err, ErrCodePage) {
		t.Errorf("code page 4242: got %v, want ErrCodePage", err)
	}
}
