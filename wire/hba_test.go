package wire

import (
	"net/netip"
	"strings"
	"testing"
)

func TestHBAFirstMatchWins(t *testing.T) {
	hba, err := ParseHBA(strings.NewReader(`
# comments and blank lines are skipped

local      all       all                          trust
hostssl    all       all         0.0.0.0/0        scram-sha-256
hostnossl  shop      alice,bob   10.1.0.0/16      md5   # trailing comment
host       sameuser  all         192.168.1.7      password allow_plaintext=1
host       all       mallory     all              reject
host       all       all         ::1/128          trust
`), "pg_hba.conf")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		addr           string
		tls            bool
		user, database string
		wantLine       int // 0: no match
	}{
		{"10.1.2.3", true, "alice", "shop", 5},
		{"10.1.2.3", false, "alice", "shop", 6},
		{"10.1.2.3", false, "carol", "shop", 0},
		{"10.1.2.3", false, "alice", "other", 0},
		{"10.2.0.1", false, "alice", "shop", 0},
		{"::ffff:10.1.2.3", false, "bob", "shop", 6}, // IPv4-mapped
		{"192.168.1.7", false, "carol", "carol", 7},
		{"192.168.1.7", false, "carol", "shop", 0},
		{"192.168.1.8", false, "carol", "carol", 0},
		{"8.8.8.8", false, "mallory", "x", 8},
		{"::1", false, "anyone", "x", 9},
		{"127.0.0.1", false, "anyone", "x", 0}, // local matches no TCP connection
	}
	for _, tc := range cases {
		r := hba.match(netip.MustParseAddr(tc.addr), tc.tls, tc.user, tc.database)
		got := 0
		if r != nil {
			got = r.Line
		}
		if got != tc.wantLine {
			t.Errorf("%s tls=%v %s/%s: matched line %d, want %d", tc.addr, tc.tls, tc.user, tc.database, got, tc.wantLine)
		}
	}
	if r := hba.match(netip.MustParseAddr("192.168.1.7"), false, "x", "x"); r == nil || r.Method != AuthPassword || !r.AllowPlaintext {
		t.Errorf("line 7 parsed as %+v", r)
	}
}

func TestLoopbackTrustIsTheDefault(t *testing.T) {
	hba := LoopbackTrust()
	for addr, want := range map[string]bool{"127.0.0.1": true, "127.8.0.1": true, "::1": true, "10.0.0.1": false, "::2": false} {
		if got := hba.match(netip.MustParseAddr(addr), false, "u", "d") != nil; got != want {
			t.Errorf("%s trusted = %v, want %v", addr, got, want)
		}
	}
	if hba.match(netip.Addr{}, false, "u", "d") != nil {
		t.Error("a connection that is not over IP is trusted")
	}
}

func TestParseHBAErrors(t *testing.T) {
	for line, want := range map[string]string{
		"host all all 127.0.0.1/32":                       "expected at least 5 fields",
		"hots all all 127.0.0.1/32 trust":                 `invalid connection type "hots"`,
		"host all all 127.0.0.1/33 trust":                 "invalid CIDR address",
		"host all all localhost trust":                    "host names are not supported",
		"host all all all ident":                          `invalid authentication method "ident"`,
		"host all +admins all trust":                      "group membership",
		"host all all all md5 allow_plaintext=1":          "not supported for method md5",
		"host all all all password allow_plaintext=maybe": "invalid value for allow_plaintext",
		"hostgssenc all all all trust":                    "GSSAPI",
	} {
		_, err := ParseHBA(strings.NewReader("# first\n"+line+"\n"), "f")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "f:2: ") {
			t.Errorf("%q: got %v, want f:2: ...%s", line, err, want)
		}
	}
}

func TestUsersFile(t *testing.T) {
	users, err := ParseUsers(strings.NewReader("carol "+carolVerifier+"\ndave "+daveVerifier+"\n"), "users")
	if err != nil {
		t.Fatal(err)
	}
	carol, _ := users.lookup("carol")
	dave, _ := users.lookup("dave")
	if !carol.checkPassword("carol", carolPassword) || carol.checkPassword("carol", davePassword) {
		t.Error("carol's SCRAM verifier does not check passwords")
	}
	if !dave.checkPassword("dave", davePassword) || dave.checkPassword("dave", carolPassword) {
		t.Error("dave's md5 verifier does not check passwords")
	}
	if _, ok := users.lookup("nobody"); ok {
		t.Error("nobody found")
	}

	// PostgreSQL's own md5 of password "postgres" for user "postgres".
	if got := MD5Verifier("postgres", "postgres"); got != "md53175bce1d3201d16594cebf9d7eb3f9d" {
		t.Errorf("MD5Verifier = %s", got)
	}
	v, err := SCRAMVerifier("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := parseVerifier(v)
	if err != nil || !fresh.checkPassword("x", "s3cret") || fresh.checkPassword("x", "s3cret ") {
		t.Errorf("SCRAMVerifier %s does not round-trip: %v", v, err)
	}

	for text, want := range map[string]string{
		"alice hunter2":                "cleartext passwords are not accepted",
		"alice md5xyz":                 "cleartext passwords are not accepted",
		"alice SCRAM-SHA-256$4096:x$y": "malformed SCRAM-SHA-256 verifier",
		"alice":                        "expected a user name and a verifier",
		"carol " + carolVerifier + "\ncarol " + carolVerifier: "appears twice",
	} {
		_, err := ParseUsers(strings.NewReader(text), "users")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want ...%s", text, err, want)
		}
	}
}
