package view

// Account is the profile page: every form on it re-renders the whole
// page with its own fields kept and its errors beside them.
type Account struct {
	Page
	Name, Language string
	TimeZone       string // "": the browser's
	NotifyEmail    bool
	NotifyDigest   bool
	NewEmail       string
	Sessions       []SessionRow
	Passkeys       []PasskeyRow
	PasskeyName    string // what was typed, on a refused passkey
}

// PasskeyRow is one of the person's passkeys.
type PasskeyRow struct {
	ID                    int64
	Name                  string
	Added, AddedISO       string
	LastUsed, LastUsedISO string // "": never used
	BackedUp              bool
}

// SessionRow is one of the person's sessions.
type SessionRow struct {
	ID                    int64
	Device, IP            string
	LastSeen, LastSeenISO string
	Current               bool
	Method                string // catalog key of how it signed in
}
