package account

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"missiongrants/internal/i18n"
)

// Password policy (NIST SP 800-63B): a length range and a refusal of
// well-known passwords, but no composition rules, which only push people
// towards predictable substitutions.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256 // characters; bounds the hashing work one request can ask for
)

// commonPasswords is the 49,233 most common passwords of zxcvbn-ts's
// dictionary (npm package @zxcvbn-ts/language-common 4.1.3, src/passwords.json,
// one per line, all lowercase). MIT licence, Copyright (c) 2012-2016 Dan Wheeler
// and Dropbox, Inc., Copyright (c) 2021 @zxcvbn-ts: see common_passwords.LICENSE.
//
//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is parsed on first use, not at start-up of every command.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 50000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := sc.Text(); w != "" {
			set[w] = struct{}{}
		}
	}
	return set
})

// IsCommonPassword reports whether pw, ignoring case, is on the list.
func IsCommonPassword(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(pw)]
	return ok
}

// ValidatePassword checks pw against the policy; email, when known, may not
// be the password. The error is an i18n.Message.
func ValidatePassword(pw, email string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return i18n.Msg("error.password.too_short", "Min", MinPasswordLength)
	case n > MaxPasswordLength:
		return i18n.Msg("error.password.too_long", "Max", MaxPasswordLength)
	case IsCommonPassword(pw) || IsCommonPassword(strings.TrimSpace(pw)):
		return i18n.Msg("error.password.common")
	case email != "" && strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(email)):
		return i18n.Msg("error.password.is_email")
	}
	return nil
}

// HashParams follow OWASP's argon2id recommendation (19 MiB, 2 passes, 1
// lane): about 30 ms here, and bounded memory when many log in at once.
var HashParams = argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// hashParams are the parameters new hashes are made with: HashParams, and
// cheap ones (64 KiB, one pass) in a test binary, as Django's and Rails'
// test settings do: argon2 was half the CPU of the web tests, which sign up
// hundreds of people. A hash names its parameters, so checking a password
// costs what making its hash did. The portal's binary, even started by a
// test, is not a test binary.
var hashParams = func() *argon2id.Params {
	if testing.Testing() {
		return &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	}
	return &HashParams
}()

func hashPassword(pw string) (string, error) { return argon2id.CreateHash(pw, hashParams) }

// dummyHash is compared against when there is no account or no password, so
// such a login takes as long as a wrong password and its timing reveals nothing.
var dummyHash = sync.OnceValue(func() string {
	h, err := hashPassword("no account has this password")
	if err != nil {
		panic(err)
	}
	return h
})

// checkPassword reports whether pw matches hash; an empty hash never matches
// but costs the same time.
func checkPassword(pw, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(pw, dummyHash())
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	return err == nil && ok
}
