package pdf

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
)

// Protection protects an output with passwords: AES-256, the standard
// security handler's revision 6 (ISO 32000-2). Opening needs either
// password; the owner's lifts the restrictions. Printing (at full
// quality) and text extraction for accessibility are allowed; changing,
// copying and form filling are not.
type Protection struct {
	UserPassword  string
	OwnerPassword string // "" means a random one nobody knows
}

// permissions is the /P value: bits 3 (print), 10 (accessibility), 12
// (high-quality print) and the reserved bits 7, 8, 13–32 set.
const permissions = int32(-1340) // 0xFFFFFAC4

// encrypter encrypts an output's strings and streams with its file key.
type encrypter struct {
	key  []byte // the 32-byte file encryption key
	dict dict   // the /Encrypt dictionary
}

// newEncrypter makes a file key and the encryption dictionary that
// unlocks it with p's passwords.
func newEncrypter(prot *Protection) (*encrypter, error) {
	e := &encrypter{key: randomBytes(32)}
	owner := prot.OwnerPassword
	if owner == "" {
		owner = string(randomBytes(32))
	}
	user, ownerPW := password(prot.UserPassword), password(owner)
	uSalts := randomBytes(16) // validation salt, key salt
	u := append(hash2B(user, uSalts[:8], nil), uSalts...)
	ue, err := aesNoPad(hash2B(user, uSalts[8:], nil), e.key)
	if err != nil {
		return nil, err
	}
	oSalts := randomBytes(16)
	o := append(hash2B(ownerPW, oSalts[:8], u), oSalts...)
	oe, err := aesNoPad(hash2B(ownerPW, oSalts[8:], u), e.key)
	if err != nil {
		return nil, err
	}
	perms := make([]byte, 16)
	p32 := permissions
	binary.LittleEndian.PutUint32(perms, uint32(p32))
	copy(perms[4:], []byte{0xff, 0xff, 0xff, 0xff, 'T', 'a', 'd', 'b'})
	copy(perms[12:], randomBytes(4))
	block, err := aes.NewCipher(e.key)
	if err != nil {
		return nil, err
	}
	block.Encrypt(perms, perms)
	e.dict = dict{
		{"Filter", name("Standard")}, {"V", int64(5)}, {"R", int64(6)}, {"Length", int64(256)},
		{"CF", dict{{"StdCF", dict{{"AuthEvent", name("DocOpen")}, {"CFM", name("AESV3")}, {"Length", int64(32)}}}}},
		{"StmF", name("StdCF")}, {"StrF", name("StdCF")},
		{"O", hexString(o)}, {"U", hexString(u)}, {"OE", hexString(oe)}, {"UE", hexString(ue)},
		{"P", int64(permissions)}, {"Perms", hexString(perms)},
	}
	return e, nil
}

// encrypt encrypts data with AES-256-CBC under the file key: a random
// IV, then the padded ciphertext (every string and stream alike).
func (e *encrypter) encrypt(data []byte) []byte {
	block, _ := aes.NewCipher(e.key) // a 32-byte key is always valid
	pad := aes.BlockSize - len(data)%aes.BlockSize
	out := make([]byte, aes.BlockSize+len(data)+pad)
	copy(out, randomBytes(aes.BlockSize))
	copy(out[aes.BlockSize:], data)
	for i := len(out) - pad; i < len(out); i++ {
		out[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, out[:aes.BlockSize]).CryptBlocks(out[aes.BlockSize:], out[aes.BlockSize:])
	return out
}

// hash2B is the password hash of ISO 32000-2, algorithm 2.B.
func hash2B(pw, salt, udata []byte) []byte {
	first := sha256.Sum256(concat(pw, salt, udata))
	k := first[:]
	var e []byte
	for i := 0; i < 64 || int(e[len(e)-1]) > i-32; i++ {
		k1 := bytes.Repeat(concat(pw, k, udata), 64)
		block, _ := aes.NewCipher(k[:16])
		e = make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, c := range e[:16] {
			sum += int(c)
		}
		switch sum % 3 {
		case 0:
			h := sha256.Sum256(e)
			k = h[:]
		case 1:
			h := sha512.Sum384(e)
			k = h[:]
		default:
			h := sha512.Sum512(e)
			k = h[:]
		}
	}
	return k[:32]
}

// aesNoPad encrypts a 32-byte value with AES-256-CBC, a zero IV and no
// padding (the /UE and /OE entries).
func aesNoPad(key, data []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(block, make([]byte, aes.BlockSize)).CryptBlocks(out, data)
	return out, nil
}

// password is a password as revision 6 takes it: UTF-8, at most 127
// bytes (SASLprep is not applied: ASCII passwords are unaffected).
func password(s string) []byte {
	b := []byte(s)
	if len(b) > 127 {
		b = b[:127]
	}
	return b
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("pdf: no randomness: %v", err)) // crypto/rand never fails on Linux
	}
	return b
}
