package pgcopy

import (
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
)

// Parallel decoding. With SetWorkers(n > 1), Next first decodes a prelude
// of preludeRows rows on the caller's goroutine, as without workers; if
// the input goes on, it reads the rest on the caller's goroutine and cuts
// it into chunks of whole rows (splitter, which only finds row ends), and
// n worker goroutines decode the chunks, each with a Reader of its own
// over the chunk's bytes: the same row decoding as the sequential path,
// started at the chunk's line number. Next hands out the chunks' records
// in input order, and the first error in input order: a chunk's records
// and its error reach the caller only after every earlier chunk's, so the
// caller sees what the sequential Reader would have returned (the records
// are cut differently: one per chunk).
//
// Whatever the splitter does not walk is left to the sequential path on
// this Reader, which takes over once every chunk cut before it has been
// handed out: the rest of an input that ends within its first chunk, the
// bytes after the last whole row at the end of the input, a binary
// trailer or a tuple binaryRow rejects, and whatever follows a read error
// (which the sequential path then returns once it needs more input, as it
// would have).
//
// The input is read only on the caller's goroutine, so a source such as
// the wire's CopyData stream is never read concurrently; at most
// maxInflight chunks are cut and not yet handed out, and a chunk grows
// past maxChunkBytes (a row longer than that) only while no other chunk
// is in flight, which bounds the memory at about (workers+2) chunks or
// one row, and keeps the Reader from reading far past an end marker that
// an earlier chunk holds. Chunk buffers are reused across Readers.

const (
	// preludeRows are decoded on the caller's goroutine before any chunk
	// is cut: a COPY of fewer rows starts no goroutine and scans nothing
	// twice (10k CSV rows decode about 25% slower through a chunk).
	preludeRows = 8192
	// chunkRows is the most rows a chunk holds: enough to make a worker's
	// start-up cost small, few enough that a COPY of 131,072 rows (a
	// Parquet row group, as bench/ loads) keeps two workers busy.
	chunkRows = 16384
	// maxChunkBytes is the size at which a chunk is cut even if it holds
	// fewer than chunkRows rows.
	maxChunkBytes = 16 << 20
	// firstChunkBytes is the buffer a chunk starts with; it doubles up to
	// maxChunkBytes as input arrives, so small inputs stay small.
	firstChunkBytes = 64 << 10
)

// chunkBuffers holds the buffers of decoded chunks for the next chunks,
// of this COPY or the next one (a load is often many COPY statements).
var chunkBuffers sync.Pool

// parallel is the state of a Reader that decodes with workers.
type parallel struct {
	workers       int
	prelude       int  // rows decoded on the caller's goroutine first (preludeRows)
	active        bool // the prelude is done: chunks are being cut
	maxRows       int  // rows per chunk (chunkRows; tests lower it)
	maxBytes      int  // bytes per chunk (maxChunkBytes; tests lower it)
	split         splitter
	cutLines      int64 // lines before the chunk being gathered
	chunks        int   // chunks cut so far
	inputDone     bool  // no more chunks: the rest is the sequential path's
	queue         []*chunkJob
	jobs          chan *chunkJob
	wg            sync.WaitGroup
	running       bool
	stopped       atomic.Bool
	pending       []arrow.Record // the records of the chunk being handed out
	pendingErr    error          // its error, after its records
	pendingMarker bool           // it ended at an end marker
}

// chunkJob is one chunk of whole rows and, once done is closed, what
// decoding it gave.
type chunkJob struct {
	data    []byte // the rows
	buf     []byte // the buffer data lies in, to reuse
	line    int64  // lines before the chunk
	started bool   // the header (text, CSV) was read: false for the first chunk
	rows    int

	done     chan struct{}
	recs     []arrow.Record
	err      error
	panicked any
	marker   bool  // the chunk ends the data with an end marker
	endLine  int64 // the line of its last row
}

// SetWorkers makes Next decode with n goroutines (n > 1) past a prelude
// of preludeRows rows, or on the caller's goroutine (n <= 1, the
// default). Call it before the first Next, and Close the Reader when done
// with it.
func (r *Reader) SetWorkers(n int) {
	if n <= 1 {
		r.par = nil
		return
	}
	r.par = &parallel{
		workers:  n,
		prelude:  preludeRows,
		maxRows:  chunkRows,
		maxBytes: maxChunkBytes,
		split:    newSplitter(r.opts, len(r.types)),
		jobs:     make(chan *chunkJob, n+2),
	}
}

// Close stops the workers of a Reader that decodes in parallel and
// releases the records they decoded that Next did not return. It never
// reads the input, and the Reader returns no more rows after it.
func (r *Reader) Close() {
	if r.par != nil {
		r.par.stop()
		r.par = nil
	}
	if r.err == nil {
		r.done = true
	}
}

// activate starts cutting chunks where the prelude, a full record that r
// just read on the caller's goroutine, ended: at a row boundary, on line
// r.line.
func (p *parallel) activate(r *Reader) {
	p.active = true
	p.cutLines, p.split.lines = r.line, r.line
}

// maxInflight is how many chunks may be cut and not yet handed out.
func (p *parallel) maxInflight() int { return p.workers + 1 }

// nextParallel is Next of a Reader that decodes in parallel.
func (r *Reader) nextParallel() (arrow.Record, error) {
	p := r.par
	for {
		if len(p.pending) > 0 {
			rec := p.pending[0]
			p.pending[0] = nil
			p.pending = p.pending[1:]
			return rec, nil
		}
		if p.pendingErr != nil {
			r.err = p.pendingErr
			r.Close()
			return nil, r.err
		}
		if p.pendingMarker {
			r.marker = true
			r.Close()
			return nil, nil
		}
		for !p.inputDone && len(p.queue) < p.maxInflight() {
			job, err := r.nextChunk()
			if err != nil {
				r.err = err
				r.Close()
				return nil, err
			}
			if job == nil {
				break
			}
			p.dispatch(r, job)
		}
		if len(p.queue) == 0 {
			// Every chunk is handed out: the rest is the sequential path's.
			p.stop()
			r.par = nil
			r.line = p.cutLines
			return r.Next()
		}
		job := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		<-job.done
		if job.panicked != nil {
			r.Close()
			panic(job.panicked)
		}
		r.line = job.endLine
		p.pending, p.pendingErr, p.pendingMarker = job.recs, job.err, job.marker
	}
}

// nextChunk reads input until it has a chunk of whole rows to decode. It
// returns nil when the rest is left to the sequential path (it sets
// inputDone then), or when the chunk would grow past maxBytes while other
// chunks are in flight.
func (r *Reader) nextChunk() (*chunkJob, error) {
	p := r.par
	s := &p.split
	if !r.started && r.opts.Format == Binary {
		r.started = true
		if err := r.binaryHeader(); err != nil {
			return nil, err
		}
	}
	for {
		data := r.buf[r.start:r.end]
		s.scan(data, p.maxRows)
		switch {
		case s.rows == p.maxRows, s.rows > 0 && s.stopped, s.rows > 0 && len(data) >= p.maxBytes:
			return r.cutChunk(), nil
		case s.stopped:
			p.inputDone = true
			return nil, nil
		}
		if len(data) >= p.maxBytes && len(p.queue) > 0 {
			// A row longer than a chunk: take it once the chunks before
			// it are handed out (they may end the data).
			return nil, nil
		}
		more, err := r.readChunkInput()
		if err != nil {
			// The sequential path returns err after the rows read before it.
			r.src = errReader{err}
			more = false
		}
		if !more {
			if p.chunks > 0 && s.rows > 0 {
				return r.cutChunk(), nil
			}
			p.inputDone = true
			return nil, nil
		}
	}
}

// cutChunk makes the whole rows the splitter found a chunk, and moves the
// bytes after them to a buffer of their own.
func (r *Reader) cutChunk() *chunkJob {
	p := r.par
	s := &p.split
	n := s.rowStart
	job := &chunkJob{
		data:    r.buf[r.start : r.start+n],
		buf:     r.buf,
		line:    p.cutLines,
		started: r.started,
		rows:    s.rows,
		done:    make(chan struct{}),
	}
	rest := r.buf[r.start+n : r.end]
	// The next buffer is as large as this chunk's grew to be, so that only
	// the first chunk grows step by step.
	next := chunkBuffer(max(2*len(rest), cap(job.buf)))
	r.buf, r.start, r.end = next, 0, copy(next, rest)
	s.cut(n)
	p.cutLines = s.lines
	p.chunks++
	r.started = true
	return job
}

// readChunkInput reads more input after r.buf[r.start:r.end], growing the
// buffer when it is full; false at the end of the input.
func (r *Reader) readChunkInput() (bool, error) {
	if r.eof {
		return false, nil
	}
	if r.end == len(r.buf) {
		grown := chunkBuffer(2 * (r.end - r.start))
		r.end = copy(grown, r.buf[r.start:r.end])
		r.buf, r.start = grown, 0
	}
	return r.readSome()
}

// chunkBuffer returns a buffer of at least size bytes (and at least
// firstChunkBytes), at its full capacity, reusing a decoded chunk's.
func chunkBuffer(size int) []byte {
	size = max(size, firstChunkBytes)
	if b, ok := chunkBuffers.Get().(*[]byte); ok && cap(*b) >= size {
		return (*b)[:cap(*b)]
	}
	return make([]byte, size)
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// dispatch queues job for the workers, starting them the first time.
func (p *parallel) dispatch(r *Reader, job *chunkJob) {
	if !p.running {
		p.running = true
		p.wg.Add(p.workers)
		for range p.workers {
			go p.work(r.chunkReader())
		}
	}
	p.queue = append(p.queue, job)
	p.jobs <- job
}

// work decodes chunks with sub, a Reader of its own, until the jobs end.
func (p *parallel) work(sub *Reader) {
	defer p.wg.Done()
	for job := range p.jobs {
		if !p.stopped.Load() {
			p.decode(sub, job)
		}
		buf := job.buf
		chunkBuffers.Put(&buf)
		job.data, job.buf = nil, nil
		close(job.done)
	}
}

// decode reads the rows of job's chunk into records. A panic is handed to
// the caller's goroutine, where it would have happened without workers.
func (p *parallel) decode(sub *Reader, job *chunkJob) {
	defer func() {
		if v := recover(); v != nil {
			job.panicked = v
		}
	}()
	sub.buf, sub.start, sub.end, sub.eof = job.data, 0, len(job.data), true
	sub.line, sub.started = job.line, job.started
	sub.done, sub.ended, sub.marker, sub.err = false, false, false, nil
	sub.rowsHint = job.rows
	if rec, ok := sub.decodeChunkColumns(job.rows); ok {
		job.recs = append(job.recs, rec)
		sub.done = true
	}
	for !sub.done {
		rec, err := sub.Next()
		if err != nil {
			job.err = err
			break
		}
		if rec == nil {
			break
		}
		job.recs = append(job.recs, rec)
	}
	job.marker, job.endLine = sub.marker, sub.line
	sub.buf = nil
}

// chunkReader returns a Reader like r, with decoders of its own, to decode
// chunks with.
func (r *Reader) chunkReader() *Reader {
	sub := &Reader{types: r.types, opts: r.opts, mem: r.mem, schema: r.schema, loc: r.loc, csvSpecial: r.csvSpecial, csvWords: r.csvWords}
	sub.err = sub.makeDecoders()
	sub.dataBytes = make([]int, len(r.types))
	return sub
}

// stop ends the workers and releases what they decoded that was not
// handed out.
func (p *parallel) stop() {
	p.stopped.Store(true)
	if p.running {
		close(p.jobs)
		p.wg.Wait()
		p.running = false
	}
	for _, job := range p.queue {
		for _, rec := range job.recs {
			rec.Release()
		}
	}
	p.queue = nil
	for _, rec := range p.pending {
		rec.Release()
	}
	p.pending = nil
}
