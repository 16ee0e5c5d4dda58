package main

import "testing"

// TestSoftMemoryLimit: --memory-limit sets the runtime's soft limit to
// the statements' budget, the cache's and the headroom; without it, or
// when GOMEMLIMIT is set, the runtime's own setting stands.
func TestSoftMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		mem, cache int64
		env        string
		want       int64
		ok         bool
	}{
		{mem: 1 << 30, cache: 512 << 20, want: 1<<30 + 512<<20 + softMemoryHeadroom, ok: true},
		{mem: 1 << 30, cache: -1, want: 1<<30 + softMemoryHeadroom, ok: true},
		{mem: 0, cache: 512 << 20},
		{mem: 1 << 30, cache: 512 << 20, env: "300MiB"},
	} {
		got, ok := softMemoryLimit(c.mem, c.cache, c.env)
		if got != c.want || ok != c.ok {
			t.Errorf("softMemoryLimit(%d, %d, %q) = %d, %v; want %d, %v", c.mem, c.cache, c.env, got, ok, c.want, c.ok)
		}
	}
}
