package s3test

import "syscall"

// sysProcAttr has the kernel kill versitygw if the test binary dies
// without stopping it (a panic in another test, a kill -9), so no server
// outlives its test run.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
