package storage

import (
	"testing"
)

// TestBlockArenaReuse hands out more buffers than one mapping holds,
// writes each, gives them back and takes them again: buffers are
// cacheBlockSize long, never shared while out, reused once back, and the
// arena unmaps only when every buffer is back.
func TestBlockArenaReuse(t *testing.T) {
	var a blockArena
	n := arenaChunkBlocks + 3
	out := make([][]byte, n)
	for i := range out {
		out[i] = a.get()
		if len(out[i]) != cacheBlockSize || cap(out[i]) != cacheBlockSize {
			t.Fatalf("buffer %d: len %d cap %d", i, len(out[i]), cap(out[i]))
		}
		for j := range out[i] {
			out[i][j] = byte(i)
		}
	}
	for i, b := range out {
		for j := range b {
			if b[j] != byte(i) {
				t.Fatalf("buffer %d byte %d = %d: buffers overlap", i, j, b[j])
			}
		}
	}
	if a.out != n {
		t.Fatalf("%d out, want %d", a.out, n)
	}
	a.put(out[5][:100])
	if again := a.get(); &again[0] != &out[5][0] || len(again) != cacheBlockSize {
		t.Fatal("a returned buffer is not reused whole")
	}
	a.release()
	if len(a.chunks) == 0 {
		t.Fatal("release unmapped buffers still out")
	}
	for _, b := range out {
		a.put(b)
	}
	a.release()
	if len(a.chunks) != 0 || a.out != 0 {
		t.Fatalf("after every buffer is back: %d mappings, %d out", len(a.chunks), a.out)
	}
}
