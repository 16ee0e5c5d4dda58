// Package gcpace sets how far the Go collector lets the heap grow past
// its live data, from the size of that live data.
//
// With GOGC at its default of 100 the heap grows to twice its live bytes
// before the next cycle. pqdb's live heap is small while it serves OLTP
// (pgbench -S keeps 12-24 MiB: the page cache lives outside the heap), so
// short statements that each allocate a few kilobytes run ten cycles a
// second or more, each with its marking, assists and write barriers, and
// with new spans to sweep and fill. Giving a small heap more headroom
// (three times its live bytes) makes cycles rarer; a large heap, whose
// headroom is real memory, keeps GOGC 100's.
//
// The headroom for live bytes L is max(L, min(3L, MaxExtraHeadroom)):
// GOGC 300 (SmallHeapPercent) up to a live heap of MaxExtraHeadroom/3
// (about 43 MiB), then a constant headroom, then GOGC 100 from
// MaxExtraHeadroom (128 MiB) on. So the heap never holds more than
// MaxExtraHeadroom bytes beyond what GOGC 100 would allow, a bulk load's
// large live heap gets no more than that, and a soft memory limit
// (GOMEMLIMIT, --memory-limit) still caps it. A GOGC set in the
// environment is the operator's choice and is left alone.
//
// The pacer runs after every collection, as a cleanup of an object made
// unreachable for the purpose, reads the live heap from runtime/metrics
// and changes the percentage only when it moves by more than a tenth.
package gcpace
