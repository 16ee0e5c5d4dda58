package jsonb

import (
	"fmt"
	"strings"
	"testing"
)

// A document like an application's record: nested objects, arrays,
// strings with escapes, numbers.
func benchDoc(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"id": 12345, "name": "Ada Lovelace", "active": true, "score": 98.25, "tags": ["math", "engine", "poetry\n"], "items": [`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"sku": "A-%d", "qty": %d, "price": %d.99, "note": null, "dims": {"w": 1.5, "h": 2, "unit": "cm"}}`, i, i%7, i)
	}
	b.WriteString(`], "address": {"street": "12 St James's Sq", "city": "London", "zip": "SW1Y 4JH"}, "z": "\u00e9t\u00e9"}`)
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1, 100} {
		doc := benchDoc(n)
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			var ps Parser
			var dst []byte
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var err error
				dst, err = ps.Append(dst[:0], doc)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkValidateJSON(b *testing.B) {
	doc := benchDoc(100)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := ValidateJSON(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendText(b *testing.B) {
	v, _ := Parse(benchDoc(100))
	var dst []byte
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst = AppendText(dst[:0], v)
	}
}

func BenchmarkObjectField(b *testing.B) {
	// An object with 100 keys: binary search.
	var sb strings.Builder
	sb.WriteString("{")
	for i := 0; i < 100; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `"key%03d": %d`, i, i)
	}
	sb.WriteString("}")
	wide, _ := Parse([]byte(sb.String()))
	rec, _ := Parse(benchDoc(10))
	b.Run("wide", func(b *testing.B) {
		key := []byte("key042")
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, ok := ObjectField(wide, key); !ok {
				b.Fatal("missing")
			}
		}
	})
	b.Run("path", func(b *testing.B) {
		path := [][]byte{[]byte("items"), []byte("7"), []byte("dims"), []byte("unit")}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, ok := Path(rec, path); !ok {
				b.Fatal("missing")
			}
		}
	})
}

func BenchmarkContains(b *testing.B) {
	doc, _ := Parse(benchDoc(100))
	hit, _ := Parse([]byte(`{"active": true, "tags": ["engine"], "items": [{"sku": "A-77", "dims": {"unit": "cm"}}]}`))
	miss, _ := Parse([]byte(`{"active": true, "items": [{"sku": "A-77", "qty": 3}]}`))
	b.Run("hit", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if !Contains(doc, hit) {
				b.Fatal("not contained")
			}
		}
	})
	b.Run("miss", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if Contains(doc, miss) {
				b.Fatal("contained")
			}
		}
	})
}

func BenchmarkCompare(b *testing.B) {
	x, _ := Parse(benchDoc(100))
	y, _ := Parse(benchDoc(100))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if Compare(x, y) != 0 {
			b.Fatal("differ")
		}
	}
}

func BenchmarkSet(b *testing.B) {
	doc, _ := Parse(benchDoc(100))
	nv, _ := Parse([]byte(`"mm"`))
	path := [][]byte{[]byte("items"), []byte("50"), []byte("dims"), []byte("unit")}
	var dst []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var err error
		dst, err = Set(dst[:0], doc, path, nil, nv, false)
		if err != nil {
			b.Fatal(err)
		}
	}
}
