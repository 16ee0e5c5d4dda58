package exec

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

//go:generate go run ./internal/genkeywords -out pg_get_keywords_gen.go

// pg_get_keywords() lists PostgreSQL's SQL keywords (pg_get_keywords_gen.go,
// generated from its parser's kwlist.h): word, category code (U
// unreserved, C unreserved but not a function or type name, T reserved
// but allowed as a function or type name, R reserved), whether it can be
// a bare column label, and the two as text.

type pgKeyword struct {
	word      string
	catcode   byte
	barelabel bool
}

var keywordCategories = map[byte]string{
	'U': "unreserved",
	'C': "unreserved (cannot be function or type name)",
	'T': "reserved (can be function or type name)",
	'R': "reserved",
}

var keywordColumns = []string{"word", "catcode", "barelabel", "catdesc", "baredesc"}

var keywordTypes = []catalog.Type{catalog.TypeText, catalog.TypeText, catalog.TypeBool, catalog.TypeText, catalog.TypeText}

// keywordArrays are the set's columns, built once.
var keywordArrays = sync.OnceValues(func() ([]arrow.Array, error) {
	cols := make([][]catalog.Datum, len(keywordTypes))
	for _, k := range pgKeywords {
		bare := "requires AS"
		if k.barelabel {
			bare = "can be bare label"
		}
		for c, v := range []catalog.Datum{k.word, string(k.catcode), k.barelabel, keywordCategories[k.catcode], bare} {
			cols[c] = append(cols[c], v)
		}
	}
	out := make([]arrow.Array, len(cols))
	for c := range cols {
		a, err := datumsToArray(memory.DefaultAllocator, keywordTypes[c], cols[c])
		if err != nil {
			return nil, err
		}
		out[c] = a
	}
	return out, nil
})

func init() {
	registerSetFunc(&setFuncDef{
		columns: keywordColumns,
		resolve: func(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			if len(ts) != 0 {
				return nil, nil, errNoFunction("pg_get_keywords", ts)
			}
			return nil, keywordTypes, nil
		},
		build: func([]Expr, []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
			return func(_ *Context, _ []arrow.Array, b *Batch) (setRows, error) {
				cols, err := keywordArrays()
				if err != nil {
					return nil, err
				}
				// Every input row's set is the whole list.
				set := &listSet{types: keywordTypes, lo: make([]int32, b.Len), hi: make([]int32, b.Len)}
				for _, r := range rowsOf(b) {
					set.hi[r] = int32(len(pgKeywords))
				}
				for _, c := range cols {
					c.Retain()
					set.cols = append(set.cols, c)
				}
				return set, nil
			}
		},
	}, "pg_get_keywords")
}
