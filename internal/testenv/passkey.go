package testenv

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/fxamacker/cbor/v2"
)

// Authenticator is a passkey authenticator in Go, for tests that speak
// WebAuthn to the portal without a browser: it makes one ES256 passkey
// ("none" attestation, discoverable) and signs assertions with it, as a
// phone would. Origin is what its client data claims (a test sets another
// to play a phishing site); Counter is its signature counter, which grows
// with every assertion (a test sets it back to play a cloned key).
type Authenticator struct {
	Origin  string
	Counter uint32

	rpID   string
	key    *ecdsa.PrivateKey
	credID []byte
	handle []byte
}

// NewAuthenticator is an authenticator for the site at origin.
func NewAuthenticator(origin string) *Authenticator {
	u, err := url.Parse(origin)
	if err != nil {
		panic(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	return &Authenticator{Origin: origin, rpID: u.Hostname(), key: key, credID: id}
}

var b64 = base64.RawURLEncoding

type publicKeyOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		RPID string `json:"rpId"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	} `json:"publicKey"`
}

// flags: user present and verified (the screen lock asked), and for a
// registration, attested credential data follows.
const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

func (a *Authenticator) clientData(kind, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": kind, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return b
}

func (a *Authenticator) authData(flags byte) []byte {
	rp := sha256.Sum256([]byte(a.rpID))
	out := append(rp[:], flags)
	return binary.BigEndian.AppendUint32(out, a.Counter)
}

// Register answers the portal's creation options (the JSON it sent the
// page) with a new passkey, as the JSON the page posts back.
func (a *Authenticator) Register(options []byte) ([]byte, error) {
	var o publicKeyOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, err
	}
	if o.PublicKey.RP.ID != a.rpID {
		return nil, fmt.Errorf("testenv.Authenticator: options for %q, the authenticator is %q's", o.PublicKey.RP.ID, a.rpID)
	}
	if a.handle, _ = b64.DecodeString(o.PublicKey.User.ID); len(a.handle) == 0 {
		return nil, fmt.Errorf("testenv.Authenticator: no user id in %s", options)
	}
	x, y := a.key.X.FillBytes(make([]byte, 32)), a.key.Y.FillBytes(make([]byte, 32))
	cose, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	if err != nil {
		return nil, err
	}
	auth := a.authData(flagUP | flagUV | flagAT)
	auth = append(auth, make([]byte, 16)...) // AAGUID: none
	auth = binary.BigEndian.AppendUint16(auth, uint16(len(a.credID)))
	auth = append(auth, a.credID...)
	auth = append(auth, cose...)
	att, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": auth})
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.credID), "rawId": b64.EncodeToString(a.credID), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(a.clientData("webauthn.create", o.PublicKey.Challenge)),
			"attestationObject": b64.EncodeToString(att),
			"transports":        []string{"internal"},
		},
	})
}

// Assert answers the portal's request options with a signed assertion of
// the passkey, its counter one more than before.
func (a *Authenticator) Assert(options []byte) ([]byte, error) {
	var o publicKeyOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, err
	}
	a.Counter++
	auth := a.authData(flagUP | flagUV)
	cd := a.clientData("webauthn.get", o.PublicKey.Challenge)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, auth...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.credID), "rawId": b64.EncodeToString(a.credID), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(cd),
			"authenticatorData": b64.EncodeToString(auth),
			"signature":         b64.EncodeToString(sig),
			"userHandle":        b64.EncodeToString(a.handle),
		},
	})
}
