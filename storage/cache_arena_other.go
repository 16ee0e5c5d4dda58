//go:build !unix

package storage

import "errors"

// mapMemory is not available here: the arena falls back to the heap.
func mapMemory(int) ([]byte, error) { return nil, errors.New("no anonymous mappings") }

func unmapMemory([]byte) {}
