package usb

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
)

// The USB printer of the QEMU guest (TestInQEMUGuest boots it with
// internal/usbvm; the tests of guest_test.go run inside it).
const (
	guestVendor       = 0x0525
	guestProduct      = 0xa4a8
	guestManufacturer = "OMS"
	guestProductName  = "Virtual Printer"
	guestSerial       = "OMS0001"
	guestPNP          = "MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTER;"
	// guestCapture is where the guest's cat writes what arrives on
	// /dev/g_printer0.
	guestCapture = "/tmp/capture"
)

// guestJobs are the documents the guest sends: 4 KiB, then about 200 KB.
// The last one's length is not a multiple of the 512-byte packet size, so
// it ends with a short packet and the gadget hands its tail to the reader.
func guestJobs() [][]byte {
	return [][]byte{jobData(1, 4096), jobData(2, 200_001)}
}

// jobData is n pseudo-random bytes, the same for the same seed.
func jobData(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// sha256Hex is the hex SHA-256 of the concatenated parts.
func sha256Hex(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}
