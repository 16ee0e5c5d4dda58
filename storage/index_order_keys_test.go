package storage

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// orderKeyCase is one value of testdata/order_keys_pg15.txt: its dense
// rank in PostgreSQL 15's btree order of its type's values.
type orderKeyCase struct {
	rank int
	text string
}

// readOrderKeyCases reads testdata/order_keys_pg15.txt (written by
// record_order_keys.py from PostgreSQL 15): per type name, its values
// in PostgreSQL's order.
func readOrderKeyCases(t *testing.T) (names []string, cases map[string][]orderKeyCase) {
	t.Helper()
	f, err := os.Open("testdata/order_keys_pg15.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases = map[string][]orderKeyCase{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("bad line %q", line)
		}
		rank, err := strconv.Atoi(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		if cases[parts[0]] == nil {
			names = append(names, parts[0])
		}
		cases[parts[0]] = append(cases[parts[0]], orderKeyCase{rank, parts[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return names, cases
}

// orderKeyTestType resolves a type name of the test data: name,
// name(m, ...), either with [] after it.
func orderKeyTestType(t *testing.T, name string) catalog.Type {
	t.Helper()
	base, array := strings.CutSuffix(name, "[]")
	var mods []int32
	if i := strings.IndexByte(base, '('); i >= 0 {
		for _, m := range strings.Split(strings.TrimSuffix(base[i+1:], ")"), ",") {
			n, err := strconv.Atoi(m)
			if err != nil {
				t.Fatal(err)
			}
			mods = append(mods, int32(n))
		}
		base = base[:i]
	}
	if array {
		base += "[]"
	}
	typ, err := catalog.TypeByName(base, mods)
	if err != nil {
		t.Fatal(err)
	}
	return typ
}

// TestOrderKeysPG15: for random values of every type index files hold
// as order keys, recorded in PostgreSQL 15's order, the keys' byte order
// is that order and the keys are equal exactly when PostgreSQL's btree
// says the values are (NaN = NaN above Infinity, -0 = 0, 'ab' = 'ab  ',
// 1.5 = 1.50, '1 day' = '24 hours', jsonb 1.0 = 1, NULL elements above
// any, shorter arrays first). Keys made for a whole column (with NULLs,
// in another order) are the keys made for each value.
func TestOrderKeysPG15(t *testing.T) {
	names, cases := readOrderKeyCases(t)
	if len(names) < 10 {
		t.Fatalf("only %d types in the test data", len(names))
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			typ := orderKeyTestType(t, name)
			if !orderKeyable(typ) || !orderKeysSort(typ) {
				t.Fatalf("%s has no sorting order keys", typ)
			}
			vals := cases[name]
			keys := make([][]byte, len(vals))
			datums := make([]catalog.Datum, len(vals))
			for i, v := range vals {
				d, err := catalog.ParseText(typ, v.text)
				if err != nil {
					t.Fatalf("%q: %v", v.text, err)
				}
				key, ok := orderKeyOf(typ, d)
				if !ok {
					t.Fatalf("%q: no key", v.text)
				}
				datums[i], keys[i] = d, key
			}
			for i := 1; i < len(vals); i++ {
				c := bytes.Compare(keys[i-1], keys[i])
				switch {
				case vals[i-1].rank == vals[i].rank && c != 0:
					t.Errorf("%q and %q are equal in PostgreSQL, keys %x and %x differ", vals[i-1].text, vals[i].text, keys[i-1], keys[i])
				case vals[i-1].rank < vals[i].rank && c >= 0:
					t.Errorf("%q sorts before %q in PostgreSQL, keys %x and %x do not", vals[i-1].text, vals[i].text, keys[i-1], keys[i])
				}
			}
			// The column path: the values shuffled, with NULLs between.
			perm := rng.Perm(len(vals))
			b := array.NewBuilder(memory.DefaultAllocator, typ.ArrowType())
			defer b.Release()
			var at []int // value index per row, -1 for NULL
			for _, i := range perm {
				if rng.IntN(5) == 0 {
					b.AppendNull()
					at = append(at, -1)
				}
				if err := catalog.AppendDatum(b, datums[i]); err != nil {
					t.Fatal(err)
				}
				at = append(at, i)
			}
			arr := b.NewArray()
			defer arr.Release()
			col := orderKeyArray(arr, typ).(*array.Binary)
			defer col.Release()
			for row, i := range at {
				switch {
				case i < 0 && col.IsValid(row):
					t.Fatalf("row %d: NULL got key %x", row, col.Value(row))
				case i >= 0 && (col.IsNull(row) || !bytes.Equal(col.Value(row), keys[i])):
					t.Fatalf("row %d (%q): column key %x, value key %x", row, vals[i].text, col.Value(row), keys[i])
				}
			}
		})
	}
}

// TestOrderKeyTypes: every type a btree or hash index takes as a key has
// order keys, except json (no operator class in PostgreSQL); enums'
// keys decide equality only.
func TestOrderKeyTypes(t *testing.T) {
	for _, typ := range []catalog.Type{
		catalog.TypeBool, catalog.TypeFloat4, catalog.TypeFloat8, catalog.BpcharType(3), catalog.TypeNumeric,
		catalog.NumericType(30, 2), catalog.TypeText, catalog.TypeBytea, catalog.TypeDate, {Kind: catalog.Interval, Typmod: -1},
		{Kind: catalog.UUID, Typmod: -1}, {Kind: catalog.JSONB, Typmod: -1}, {Kind: catalog.Oid, Typmod: -1}, {Kind: catalog.Char, Typmod: -1},
		catalog.ArrayOf(catalog.TypeInt4), catalog.ArrayOf(catalog.Type{Kind: catalog.JSONB, Typmod: -1}),
	} {
		if !orderKeyable(typ) || !orderKeysSort(typ) {
			t.Errorf("%s: no sorting order keys", typ)
		}
	}
	json := catalog.Type{Kind: catalog.JSON, Typmod: -1}
	if orderKeyable(json) || orderKeyable(catalog.ArrayOf(json)) {
		t.Errorf("json has order keys")
	}
	enum := catalog.Type{Kind: catalog.Enum, Typmod: -1, Enum: catalog.EnumRef{Name: "mood"}}
	if !orderKeyable(enum) || orderKeysSort(enum) || orderKeysSort(catalog.ArrayOf(enum)) {
		t.Errorf("enum keys: keyable %v, sorting %v", orderKeyable(enum), orderKeysSort(enum))
	}
}
