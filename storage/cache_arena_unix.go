//go:build unix

package storage

import "syscall"

// mapMemory maps n bytes of zeroed, private memory.
func mapMemory(n int) ([]byte, error) {
	return syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
}

func unmapMemory(b []byte) { syscall.Munmap(b) }
