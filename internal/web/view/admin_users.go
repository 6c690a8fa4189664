package view

import (
	"missiongrants/internal/account"
)

// AdminUsers is the list of people (admin_users).
type AdminUsers struct {
	Page
	Query                    string
	Users                    []account.User
	NextAfter                int
	InviteEmail, InviteName  string
	InviteBoard, InviteAdmin bool
}

// AdminUser is one person's page for admins (admin_user_show).
type AdminUser struct {
	Page
	Subject *account.User
}
