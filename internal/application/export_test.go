package application

// ValidFormForTests exposes the complete example form to the package's
// external tests.
var ValidFormForTests = ValidForm
