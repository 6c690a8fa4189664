package view

// AdminExports is the exports page (admin_exports).
type AdminExports struct {
	Page
	From, To, Format string
	Exports          []string
}
