package mail

// OrganizationInvitation invites a person to join a charity's members.
type OrganizationInvitation struct {
	Organization, Inviter, Link string
	Days                        int // how long Link works
}

func (d OrganizationInvitation) Subject(r Reader) string {
	return r.T("mail.org_invitation.subject", "Organization", d.Organization)
}

func (d OrganizationInvitation) body(r Reader) string {
	return r.T("mail.org_invitation.body", "Inviter", d.Inviter, "Organization", d.Organization)
}

func (d OrganizationInvitation) expiry(r Reader) string {
	return r.T("mail.org_invitation.expiry", "Count", d.Days)
}

func (d OrganizationInvitation) Text(r Reader) string {
	return paras(d.body(r), r.T("mail.org_invitation.action"), d.Link, d.expiry(r))
}
