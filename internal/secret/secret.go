// Package secret makes the secrets that emailed links and sessions carry.
// Only their hash is ever stored, so a copy of the database opens nothing.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// New is 32 bytes from the system's CSPRNG, URL-safe.
func New() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash is what the database keeps of a token.
func Hash(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}
