//go:build !linux

package s3test

import "syscall"

// sysProcAttr is nil where the kernel cannot tie the server's life to the
// test binary's; Start's cleanup stops it.
func sysProcAttr() *syscall.SysProcAttr { return nil }
