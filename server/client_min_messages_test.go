package server

import "testing"

// TestClientMinMessages: client_min_messages decides which notices reach
// the client, as in PostgreSQL 15: at warning, DROP ... IF EXISTS of a
// missing table says nothing, at notice (the default) it sends its
// NOTICE; an unknown level is 22023.
func TestClientMinMessages(t *testing.T) {
	srv, _ := startServer(t)
	ctx, conn, notices := connectWithNotices(t, srv)
	exec := func(sql string) error {
		_, err := conn.Exec(ctx, sql)
		return err
	}
	if err := exec(`SET client_min_messages = WARNING`); err != nil {
		t.Fatal(err)
	}
	if got := rowsText(t, conn, `SHOW client_min_messages`)[0][0]; got != "warning" {
		t.Errorf("SHOW client_min_messages: %s, want warning", got)
	}
	if err := exec(`DROP TABLE IF EXISTS no_such_table`); err != nil {
		t.Fatal(err)
	}
	if len(*notices) != 0 {
		t.Errorf("at warning, a NOTICE reached the client: %s", (*notices)[0].Message)
	}
	if err := exec(`RESET client_min_messages`); err != nil {
		t.Fatal(err)
	}
	if err := exec(`DROP TABLE IF EXISTS no_such_table`); err != nil {
		t.Fatal(err)
	}
	if len(*notices) != 1 || (*notices)[0].Message != `table "no_such_table" does not exist, skipping` {
		t.Errorf("at notice: got %d notices, want the one of DROP ... IF EXISTS", len(*notices))
	}
	if err := exec(`SET client_min_messages = chatty`); sqlstate(err) != "22023" {
		t.Errorf("an unknown level: %v, want 22023", err)
	}
}
