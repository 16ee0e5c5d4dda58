package crashcheck

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Schema creates the tables the clients write: cc, split into one key
// range per client, and audit.ctr, a few counters every client
// increments. They are in two schemas, so a transaction that changes both
// commits in two namespaces and must still be all or nothing.
var Schema = []string{
	`CREATE TABLE cc (k bigint PRIMARY KEY, v bigint NOT NULL, s text)`,
	`CREATE SCHEMA audit`,
	`CREATE TABLE audit.ctr (id int PRIMARY KEY, n bigint NOT NULL)`,
	fmt.Sprintf(`INSERT INTO audit.ctr SELECT g, 0 FROM generate_series(1, %d) g`, counters),
}

// counters is the number of shared counter rows.
const counters = 4

// rangeWidth separates the clients' key ranges.
const rangeWidth = int64(1) << 40

// Client runs transactions in its own key range of cc and keeps their
// model.
type Client struct {
	ID    int
	Model *Model
	rng   *rand.Rand
	next  int64 // next fresh key offset in the range
	stats Stats
}

// Stats counts what clients did, for the test log.
type Stats struct {
	Commits, Statements, Copies, Reads, Conflicts int64
}

// NewClient returns client id with an empty model.
func NewClient(id int, seed uint64) *Client {
	return &Client{ID: id, Model: NewModel(), rng: rand.New(rand.NewPCG(seed, uint64(id)))}
}

func (c *Client) lo() int64 { return int64(c.ID) * rangeWidth }

// Run runs transactions on conn until one fails. An error after killed is
// set is the expected end of a round and returns nil; any other error is
// a failure.
func (c *Client) Run(ctx context.Context, conn *pgx.Conn, killed *atomic.Bool) error {
	for {
		err := c.transaction(ctx, conn)
		if err == nil {
			continue
		}
		var pe *pgconn.PgError
		if errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
			// Two clients incremented one counter at once, or two
			// counters in opposite orders: one of them is rolled back,
			// with a serialization failure or a deadlock, as in
			// PostgreSQL.
			c.stats.Conflicts++
			if _, err := conn.Exec(ctx, "ROLLBACK"); err == nil {
				continue
			} else if !killed.Load() {
				return fmt.Errorf("client %d: ROLLBACK: %w", c.ID, err)
			}
			return nil
		}
		if killed.Load() && !errors.As(err, &pe) {
			return nil
		}
		if ctx.Err() != nil && killed.Load() {
			return nil
		}
		return fmt.Errorf("client %d: %w", c.ID, err)
	}
}

// transaction runs BEGIN, one to five statements and COMMIT. The model
// records the changes as they are made; COMMIT's answer decides whether
// they become committed, are dropped, or stay in doubt.
func (c *Client) transaction(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
		return err
	}
	for range 1 + c.rng.IntN(5) {
		if err := c.statement(ctx, conn); err != nil {
			c.Model.Abort()
			return err
		}
		c.stats.Statements++
	}
	if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			c.Model.Abort()
		} else {
			c.Model.InDoubt()
		}
		return err
	}
	c.Model.Commit()
	c.stats.Commits++
	return nil
}

// statement runs one random statement of the workload and records its
// effect in the model.
func (c *Client) statement(ctx context.Context, conn *pgx.Conn) error {
	switch p := c.rng.IntN(100); {
	case p < 30:
		return c.insert(ctx, conn)
	case p < 48:
		return c.updateOne(ctx, conn)
	case p < 62:
		return c.deleteOne(ctx, conn)
	case p < 76:
		return c.updateRange(ctx, conn)
	case p < 83:
		return c.copyIn(ctx, conn)
	case p < 95:
		return c.increment(ctx, conn)
	default:
		return c.readRange(ctx, conn)
	}
}

// increment adds to a shared counter. Concurrent increments of one row
// conflict (40001); the model counts only those of committed
// transactions, so a lost update shows as a wrong sum.
func (c *Client) increment(ctx context.Context, conn *pgx.Conn) error {
	id := int32(1 + c.rng.IntN(counters))
	delta := 1 + c.rng.Int64N(100)
	tag, err := conn.Exec(ctx, "UPDATE audit.ctr SET n = n + $1 WHERE id = $2", delta, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("UPDATE of counter %d reported %q", id, tag)
	}
	c.Model.Add(id, delta)
	return nil
}

func (c *Client) freshKey() int64 {
	c.next += 1 + int64(c.rng.IntN(3))
	return c.lo() + c.next
}

func (c *Client) insert(ctx context.Context, conn *pgx.Conn) error {
	n := 1
	if c.rng.IntN(2) == 0 {
		n = 2 + c.rng.IntN(9)
	}
	var sql strings.Builder
	sql.WriteString("INSERT INTO cc (k, v, s) VALUES ")
	args := make([]any, 0, 3*n)
	rows := make([]Row, n)
	keys := make([]int64, n)
	for i := range n {
		if i > 0 {
			sql.WriteString(", ")
		}
		fmt.Fprintf(&sql, "($%d, $%d, $%d)", 3*i+1, 3*i+2, 3*i+3)
		keys[i] = c.freshKey()
		rows[i] = c.randomRow()
		args = append(args, keys[i], rows[i].V, textArg(rows[i]))
	}
	tag, err := conn.Exec(ctx, sql.String(), args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != int64(n) {
		return fmt.Errorf("INSERT of %d rows reported %q", n, tag)
	}
	for i, k := range keys {
		c.Model.Put(k, rows[i])
	}
	return nil
}

// pickKey draws a key of the client's range that probably exists, and
// whether the open transaction sees it; ok is false for an empty range.
func (c *Client) pickKey() (k int64, exists, ok bool) {
	if k, ok = c.Model.RandomKey(c.rng.IntN); ok {
		_, exists = c.Model.Get(k)
	}
	return k, exists, ok
}

func (c *Client) updateOne(ctx context.Context, conn *pgx.Conn) error {
	k, exists, ok := c.pickKey()
	if !ok {
		return c.insert(ctx, conn)
	}
	r := c.randomRow()
	tag, err := conn.Exec(ctx, "UPDATE cc SET v = $1, s = $2 WHERE k = $3", r.V, textArg(r), k)
	if err != nil {
		return err
	}
	if want := affected(exists); tag.RowsAffected() != want {
		return fmt.Errorf("UPDATE of k=%d reported %q, want %d rows", k, tag, want)
	}
	if exists {
		c.Model.Put(k, r)
	}
	return nil
}

func (c *Client) deleteOne(ctx context.Context, conn *pgx.Conn) error {
	k, exists, ok := c.pickKey()
	if !ok {
		return c.insert(ctx, conn)
	}
	tag, err := conn.Exec(ctx, "DELETE FROM cc WHERE k = $1", k)
	if err != nil {
		return err
	}
	if want := affected(exists); tag.RowsAffected() != want {
		return fmt.Errorf("DELETE of k=%d reported %q, want %d rows", k, tag, want)
	}
	c.Model.Delete(k)
	return nil
}

// randomSpan returns a key range [lo, hi) inside the keys used so far.
func (c *Client) randomSpan() (int64, int64) {
	lo := c.lo() + c.rng.Int64N(c.next+1)
	return lo, lo + 1 + c.rng.Int64N(60)
}

func (c *Client) updateRange(ctx context.Context, conn *pgx.Conn) error {
	lo, hi := c.randomSpan()
	delta := c.rng.Int64N(1000) - 500
	tag, err := conn.Exec(ctx, "UPDATE cc SET v = v + $1 WHERE k >= $2 AND k < $3", delta, lo, hi)
	if err != nil {
		return err
	}
	keys, rows := c.Model.Visible(lo, hi)
	if tag.RowsAffected() != int64(len(keys)) {
		return fmt.Errorf("UPDATE of k in [%d, %d) reported %q, want %d rows", lo, hi, tag, len(keys))
	}
	for i, k := range keys {
		r := rows[i]
		r.V += delta
		c.Model.Put(k, r)
	}
	return nil
}

func (c *Client) copyIn(ctx context.Context, conn *pgx.Conn) error {
	n := 1 + c.rng.IntN(300)
	data := make([][]any, n)
	keys := make([]int64, n)
	rows := make([]Row, n)
	for i := range n {
		keys[i] = c.freshKey()
		rows[i] = c.randomRow()
		data[i] = []any{keys[i], rows[i].V, textArg(rows[i])}
	}
	got, err := conn.CopyFrom(ctx, pgx.Identifier{"cc"}, []string{"k", "v", "s"}, pgx.CopyFromRows(data))
	if err != nil {
		return err
	}
	if got != int64(n) {
		return fmt.Errorf("COPY of %d rows reported %d", n, got)
	}
	for i, k := range keys {
		c.Model.Put(k, rows[i])
	}
	c.stats.Copies++
	return nil
}

// readRange reads part of the client's range inside its transaction and
// compares it with what the model says the transaction sees.
func (c *Client) readRange(ctx context.Context, conn *pgx.Conn) error {
	lo, hi := c.randomSpan()
	got, err := readRows(ctx, conn, lo, hi)
	if err != nil {
		return err
	}
	keys, rows := c.Model.Visible(lo, hi)
	want := make(map[int64]Row, len(keys))
	for i, k := range keys {
		want[k] = rows[i]
	}
	if d := differences(want, got); d != "" {
		return fmt.Errorf("read of k in [%d, %d) inside a transaction differs from its own writes:\n%s", lo, hi, d)
	}
	c.stats.Reads++
	return nil
}

// readRows returns the rows of cc with keys in [lo, hi).
func readRows(ctx context.Context, conn *pgx.Conn, lo, hi int64) (map[int64]Row, error) {
	rs, err := conn.Query(ctx, "SELECT k, v, s FROM cc WHERE k >= $1 AND k < $2", lo, hi)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := map[int64]Row{}
	for rs.Next() {
		var k, v int64
		var s *string
		if err := rs.Scan(&k, &v, &s); err != nil {
			return nil, err
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("k=%d returned twice", k)
		}
		r := Row{V: v, Null: s == nil}
		if s != nil {
			r.S = *s
		}
		out[k] = r
	}
	return out, rs.Err()
}

func affected(exists bool) int64 {
	if exists {
		return 1
	}
	return 0
}

func textArg(r Row) any {
	if r.Null {
		return nil
	}
	return r.S
}

// randomRow returns a row value: about 10% NULL strings, 5% empty, 5%
// of 500–3,500 bytes, the rest 1–40 printable ASCII characters, quotes
// and backslashes included.
func (c *Client) randomRow() Row {
	r := Row{V: c.rng.Int64N(1 << 40)}
	switch p := c.rng.IntN(100); {
	case p < 10:
		r.Null = true
	case p < 15:
	case p < 20:
		r.S = c.randomText(500 + c.rng.IntN(3001))
	default:
		r.S = c.randomText(1 + c.rng.IntN(40))
	}
	return r
}

func (c *Client) randomText(n int) string {
	b := make([]byte, n)
	for i := range b {
		switch c.rng.IntN(20) {
		case 0:
			b[i] = '\''
		case 1:
			b[i] = '\\'
		default:
			b[i] = byte(' ' + c.rng.IntN(95))
		}
	}
	return string(b)
}

// readCounters returns the shared counters by id.
func readCounters(ctx context.Context, conn *pgx.Conn) (map[int32]int64, error) {
	rs, err := conn.Query(ctx, "SELECT id, n FROM audit.ctr")
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := map[int32]int64{}
	for rs.Next() {
		var id int32
		var n int64
		if err := rs.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	if len(out) != counters {
		return nil, fmt.Errorf("ctr holds %d rows, want %d", len(out), counters)
	}
	return out, rs.Err()
}
