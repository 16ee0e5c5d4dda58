package crashcheck

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CheckHistory checks that pqdb_history('cc') tells exactly how the table
// came to be: replayed in commit order from an empty table, each INSERT
// adds a row id that is not live, each UPDATE and DELETE finds the row id
// live with its before image equal to the last after image, and what is
// live at the end is exactly the table's rows. History is kept for the
// whole run (the default retention is a day), so a lost, duplicated or
// torn event, or a wrong image, shows as a mismatch.
func CheckHistory(ctx context.Context, conn *pgx.Conn) error {
	rs, err := conn.Query(ctx, `SELECT seq, operation, row_id, before::text, after::text
		FROM pqdb_history('cc') ORDER BY seq, row_id`)
	if err != nil {
		return err
	}
	live := map[int64]string{}
	events := 0
	for rs.Next() {
		var seq, rowID int64
		var op string
		var before, after *string
		if err := rs.Scan(&seq, &op, &rowID, &before, &after); err != nil {
			rs.Close()
			return err
		}
		events++
		cur, ok := live[rowID]
		switch {
		case op == "INSERT" && ok:
			return fmt.Errorf("history: commit %d inserts row id %d, which is live", seq, rowID)
		case op != "INSERT" && !ok:
			return fmt.Errorf("history: commit %d %ss row id %d, which is not live", seq, op, rowID)
		case op != "INSERT" && (before == nil || *before != cur):
			return fmt.Errorf("history: commit %d %ss row id %d with before image %v, but it was %s", seq, op, rowID, deref(before), cur)
		case op != "DELETE" && after == nil:
			return fmt.Errorf("history: commit %d %ss row id %d without an after image", seq, op, rowID)
		}
		if op == "DELETE" {
			delete(live, rowID)
		} else {
			live[rowID] = *after
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return err
	}
	rows, err := conn.Query(ctx, `SELECT to_jsonb(c)::text FROM cc c`)
	if err != nil {
		return err
	}
	defer rows.Close()
	want := map[string]int{}
	for _, img := range live {
		want[img]++
	}
	n := 0
	for rows.Next() {
		var img string
		if err := rows.Scan(&img); err != nil {
			return err
		}
		n++
		if want[img] == 0 {
			return fmt.Errorf("history: row %s is in the table but not live in the %d events of the history", img, events)
		}
		want[img]--
	}
	if n != len(live) {
		return fmt.Errorf("history: %d rows live after replaying %d events, table holds %d", len(live), events, n)
	}
	return rows.Err()
}

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}
