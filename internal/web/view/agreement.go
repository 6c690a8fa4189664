package view

import (
	"missiongrants/internal/agreement"
	"missiongrants/internal/policy"
)

// Agreement is an award's grant agreement: where it stands, the file to
// read, the signature form for a signatory, and voiding for an admin.
type Agreement struct {
	Page
	AppID     int64
	Title     string
	Agreement *agreement.Agreement
	History   []agreement.Agreement // voided ones
	Terms     string                // the text to accept, for the signatory
	Statement string
	TermsLang string // the agreement's language, which Terms and Statement are in, whatever the page's
	Can       policy.Can
	Name      string // the signature form as typed
	JobTitle  string
	Reason    string // the void form as typed
	IssuedOn  string
	SignedOn  string
}

// AgreementTemplate is where admins write the agreement's terms in each
// language.
type AgreementTemplate struct {
	Page
	Bodies       map[string]string
	Placeholders []string
}
