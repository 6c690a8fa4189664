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
}

// SessionRow is one of the person's sessions.
type SessionRow struct {
	ID                    int64
	Device, IP            string
	LastSeen, LastSeenISO string
	Current               bool
}
