package testenv

import "syscall"

// childAttr makes a child die with the test binary, even when the binary is
// killed before Main can stop it.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
