package storage

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// roleNames lists the names of roles in order.
func roleNames(roles []*catalog.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.Name
	}
	return strings.Join(names, ",")
}

func mustCommitRoles(t testing.TB, s *Store, fn func(tx *Txn) error) {
	t.Helper()
	tx := s.Begin()
	if err := fn(tx); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestRoleCreateAlterDrop(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()

	tx := s.Begin()
	in := &catalog.Role{Name: "bob", Login: true, Password: "md5abc"}
	if err := tx.CreateRole(in); err != nil {
		t.Fatal(err)
	}
	in.Superuser = true // the transaction keeps its own copy
	if err := tx.CreateRole(&catalog.Role{Name: "alice", Superuser: true}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx.CreateRole(&catalog.Role{Name: "bob"}), pgerr.DuplicateObject)
	wantCode(t, tx.AlterRole(&catalog.Role{Name: "carol"}), pgerr.UndefinedObject)
	wantCode(t, tx.DropRole("carol"), pgerr.UndefinedObject)
	wantCode(t, tx.CreateRole(&catalog.Role{}), pgerr.InvalidName)
	if tx.Empty() {
		t.Fatal("a transaction that created roles reports Empty")
	}

	snap := tx.Snapshot()
	if got := roleNames(snap.Roles()); got != "alice,bob" {
		t.Fatalf("txn view roles = %q", got)
	}
	if r := snap.Role("bob"); r == nil || !r.Login || r.Superuser || r.Password != "md5abc" {
		t.Fatalf("txn view bob = %+v", r)
	}
	if s.Role("bob") != nil || len(s.Snapshot().Roles()) != 0 {
		t.Fatal("uncommitted role visible outside the transaction")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if r := s.Role("bob"); r == nil || !r.Login || r.Password != "md5abc" {
		t.Fatalf("committed bob = %+v", r)
	}
	if got := roleNames(s.Snapshot().Roles()); got != "alice,bob" {
		t.Fatalf("committed roles = %q", got)
	}

	before := s.Snapshot()
	mustCommitRoles(t, s, func(tx *Txn) error {
		if err := tx.AlterRole(&catalog.Role{Name: "bob", Password: "SCRAM-SHA-256$x"}); err != nil {
			return err
		}
		if r := tx.Snapshot().Role("bob"); r == nil || r.Login || r.Password != "SCRAM-SHA-256$x" {
			return fmt.Errorf("altered bob in txn view = %+v", r)
		}
		return tx.DropRole("alice")
	})
	if r := s.Role("bob"); r == nil || r.Login || r.Password != "SCRAM-SHA-256$x" {
		t.Fatalf("altered bob = %+v", r)
	}
	if s.Role("alice") != nil {
		t.Fatal("dropped alice still committed")
	}
	if r := before.Role("bob"); r == nil || !r.Login || before.Role("alice") == nil {
		t.Fatal("an older snapshot changed with a later commit")
	}

	// Dropping and recreating in one transaction.
	mustCommitRoles(t, s, func(tx *Txn) error {
		if err := tx.DropRole("bob"); err != nil {
			return err
		}
		wantCode(t, tx.AlterRole(&catalog.Role{Name: "bob"}), pgerr.UndefinedObject)
		return tx.CreateRole(&catalog.Role{Name: "bob", Superuser: true})
	})
	if r := s.Role("bob"); r == nil || !r.Superuser || r.Login {
		t.Fatalf("recreated bob = %+v", r)
	}
}

func TestRoleRollback(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mustCommitRoles(t, s, func(tx *Txn) error { return tx.CreateRole(&catalog.Role{Name: "keep", Login: true}) })

	tx := s.Begin()
	if err := tx.CreateRole(&catalog.Role{Name: "gone"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.DropRole("keep"); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if s.Role("gone") != nil || s.Role("keep") == nil {
		t.Fatalf("rollback did not discard role changes: %q", roleNames(s.Snapshot().Roles()))
	}
	wantCode(t, tx.CreateRole(&catalog.Role{Name: "late"}), pgerr.InternalError)
}

func TestRoleSavepoint(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mustCommitRoles(t, s, func(tx *Txn) error { return tx.CreateRole(&catalog.Role{Name: "base", Login: true}) })

	tx := s.Begin()
	if err := tx.CreateRole(&catalog.Role{Name: "a"}); err != nil {
		t.Fatal(err)
	}
	sp := tx.Savepoint()
	if err := tx.CreateRole(&catalog.Role{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.AlterRole(&catalog.Role{Name: "base"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.DropRole("a"); err != nil {
		t.Fatal(err)
	}
	if got := roleNames(tx.Snapshot().Roles()); got != "b,base" {
		t.Fatalf("before RollbackTo: %q", got)
	}
	if err := tx.RollbackTo(sp); err != nil {
		t.Fatal(err)
	}
	snap := tx.Snapshot()
	if got := roleNames(snap.Roles()); got != "a,base" {
		t.Fatalf("after RollbackTo: %q", got)
	}
	if r := snap.Role("base"); r == nil || !r.Login {
		t.Fatalf("alter after the savepoint survived: %+v", r)
	}
	// The name undone by the savepoint is free again.
	if err := tx.CreateRole(&catalog.Role{Name: "b", Superuser: true}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := roleNames(s.Snapshot().Roles()); got != "a,b,base" {
		t.Fatalf("committed: %q", got)
	}
	if r := s.Role("b"); r == nil || !r.Superuser {
		t.Fatalf("committed b = %+v", r)
	}
	if r := s.Role("base"); r == nil || !r.Login {
		t.Fatalf("committed base = %+v", r)
	}
}

func TestRoleReopen(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mustCommitRoles(t, s, func(tx *Txn) error {
		for _, name := range []string{"x", "y", "z"} {
			if err := tx.CreateRole(&catalog.Role{Name: name, Login: true, Password: "md5" + name}); err != nil {
				return err
			}
		}
		return nil
	})
	mustCommitRoles(t, s, func(tx *Txn) error {
		if err := tx.AlterRole(&catalog.Role{Name: "y", Superuser: true}); err != nil {
			return err
		}
		return tx.DropRole("z")
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, Options{})
	if got := roleNames(s.Snapshot().Roles()); got != "x,y" {
		t.Fatalf("after reopen: %q", got)
	}
	if r := s.Role("x"); r == nil || !r.Login || r.Password != "md5x" || r.Superuser {
		t.Fatalf("x after reopen = %+v", r)
	}
	if r := s.Role("y"); r == nil || r.Login || !r.Superuser || r.Password != "" {
		t.Fatalf("y after reopen = %+v", r)
	}
	// A commit followed by a stop without Close is kept too.
	mustCommitRoles(t, s, func(tx *Txn) error { return tx.CreateRole(&catalog.Role{Name: "w"}) })
	s.crash()

	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := roleNames(s.Snapshot().Roles()); got != "w,x,y" {
		t.Fatalf("after crash and reopen: %q", got)
	}
}

func TestRoleConcurrentConflicts(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mustCommitRoles(t, s, func(tx *Txn) error { return tx.CreateRole(&catalog.Role{Name: "old"}) })

	t1, t2 := s.Begin(), s.Begin()
	if err := t1.CreateRole(&catalog.Role{Name: "alice", Login: true}); err != nil {
		t.Fatal(err)
	}
	if err := t2.CreateRole(&catalog.Role{Name: "bob"}); err != nil {
		t.Fatal(err)
	}
	if err := t2.CreateRole(&catalog.Role{Name: "alice", Superuser: true}); err != nil {
		t.Fatal(err)
	}
	if err := t1.Commit(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, t2.Commit(), pgerr.DuplicateObject)
	if r := s.Role("alice"); r == nil || !r.Login || r.Superuser {
		t.Fatalf("alice = %+v, want the first commit's", r)
	}
	if s.Role("bob") != nil {
		t.Fatal("the failed commit's other role changes were committed")
	}

	// Altering or dropping a role that a concurrent commit dropped.
	t3, t4, t5 := s.Begin(), s.Begin(), s.Begin()
	if err := t3.DropRole("old"); err != nil {
		t.Fatal(err)
	}
	if err := t4.AlterRole(&catalog.Role{Name: "old", Login: true}); err != nil {
		t.Fatal(err)
	}
	if err := t5.DropRole("old"); err != nil {
		t.Fatal(err)
	}
	if err := t3.Commit(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, t4.Commit(), pgerr.UndefinedObject)
	wantCode(t, t5.Commit(), pgerr.UndefinedObject)
	if s.Role("old") != nil {
		t.Fatal("a failed alter brought a dropped role back")
	}
}

func TestRoleConcurrentCreateRace(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tx := s.Begin()
			if err := tx.CreateRole(&catalog.Role{Name: "same", Password: strconv.Itoa(i)}); err != nil {
				errs[i] = err
				tx.Rollback()
				return
			}
			errs[i] = tx.Commit()
		}()
	}
	wg.Wait()
	winners := 0
	for i, err := range errs {
		if err == nil {
			winners++
			if r := s.Role("same"); r == nil || r.Password != strconv.Itoa(i) {
				t.Fatalf("committed role %+v is not the winner %d's", r, i)
			}
			continue
		}
		wantCode(t, err, pgerr.DuplicateObject)
	}
	if winners != 1 {
		t.Fatalf("%d transactions created the same role", winners)
	}
}

func TestRoleWithSchemaChanges(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tx := s.Begin()
	if err := tx.CreateSchema("app"); err != nil {
		t.Fatal(err)
	}
	if err := tx.CreateRole(&catalog.Role{Name: "app_owner", Login: true}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// A role conflict commits nothing of the transaction.
	mustCommitRoles(t, s, func(tx *Txn) error { return tx.CreateRole(&catalog.Role{Name: "dup"}) })
	tx = s.Begin()
	if err := tx.CreateSchema("other"); err != nil {
		t.Fatal(err)
	}
	if err := tx.CreateRole(&catalog.Role{Name: "dup2"}); err != nil {
		t.Fatal(err)
	}
	other := s.Begin()
	if err := other.CreateRole(&catalog.Role{Name: "dup2"}); err != nil {
		t.Fatal(err)
	}
	if err := other.Commit(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx.Commit(), pgerr.DuplicateObject)
	if s.Snapshot().HasSchema("other") {
		t.Fatal("schema committed although the transaction's role change failed")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, Options{})
	defer s.Close()
	snap := s.Snapshot()
	if !snap.HasSchema("app") || snap.Role("app_owner") == nil {
		t.Fatalf("after reopen: schemas %v roles %q", snap.Schemas(), roleNames(snap.Roles()))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	tx = s.Begin()
	if err := tx.CreateRole(&catalog.Role{Name: "after_close"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx.Commit(), pgerr.AdminShutdown)
}

const roleCrashChildEnv = "PQDB_STORAGE_ROLE_CRASH_CHILD"

// roleCrashChild creates roles r0, r1, ... in dir, one transaction each,
// printing "ack k" after each commit returns. It runs until killed.
func roleCrashChild(dir string) {
	s, err := openChild(dir, Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	for k := 0; ; k++ {
		tx := s.Begin()
		err := tx.CreateRole(&catalog.Role{Name: "r" + strconv.Itoa(k), Login: true})
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			fmt.Fprintln(out, "error", err)
			out.Flush()
			os.Exit(2)
		}
		fmt.Fprintln(out, "ack", k)
		out.Flush()
	}
}

func TestRoleCrashSafety(t *testing.T) {
	if dir := os.Getenv(roleCrashChildEnv); dir != "" {
		roleCrashChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRoleCrashSafety$")
	cmd.Env = append(childEnv(t, dir), roleCrashChildEnv+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const killAt = 40
	deadline := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	sc := bufio.NewScanner(stdout)
	acked := -1
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "error") {
			t.Fatalf("child: %s", line)
		}
		k, err := strconv.Atoi(strings.TrimPrefix(line, "ack "))
		if err != nil {
			continue
		}
		acked = k
		if k+1 == killAt {
			cmd.Process.Signal(syscall.SIGKILL)
		}
	}
	deadline.Stop()
	cmd.Wait()
	if acked+1 < killAt {
		t.Fatalf("child stopped after %d commits", acked+1)
	}
	s := openTest(t, dir, Options{})
	defer s.Close()
	roles := s.Snapshot().Roles()
	for k := 0; k <= acked; k++ {
		if s.Role("r"+strconv.Itoa(k)) == nil {
			t.Fatalf("acknowledged role r%d lost (have %d roles)", k, len(roles))
		}
	}
	// The child may have committed one more role than it acknowledged.
	if len(roles) > acked+2 {
		t.Fatalf("%d roles after %d acknowledged commits", len(roles), acked+1)
	}
}
