package pgcatalog

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ProcVolatility is pg_proc.provolatile ('i' immutable, 's' stable, 'v'
// volatile) of PostgreSQL 15's built-in function name taking arguments
// of the type OIDs args, read from the bki: the overload with exactly
// those arguments, else the one volatility all overloads of the name
// share; 0 when neither decides. CREATE INDEX refuses what is not
// immutable, and a function's volatility can differ by overload
// (date_trunc over timestamp is immutable, over timestamptz stable).
func ProcVolatility(name string, args []uint32) byte {
	procVolatilityOnce.Do(loadProcVolatility)
	overloads := procVolatilities[name]
	var shared byte
	for i, o := range overloads {
		if slices.Equal(o.args, args) {
			return o.volatility
		}
		if i == 0 {
			shared = o.volatility
		} else if o.volatility != shared {
			shared = 0
		}
	}
	return shared
}

type procOverload struct {
	args       []uint32
	volatility byte
}

var (
	procVolatilityOnce sync.Once
	procVolatilities   map[string][]procOverload
)

func loadProcVolatility() {
	procVolatilities = map[string][]procOverload{}
	for _, c := range bkiCatalogs {
		if c.Name != "pg_proc" {
			continue
		}
		col := func(name string) int {
			for i, bc := range c.Columns {
				if bc.Name == name {
					return i
				}
			}
			panic("pgcatalog: pg_proc has no column " + name)
		}
		nameCol, volCol, argsCol := col("proname"), col("provolatile"), col("proargtypes")
		for _, row := range c.Rows {
			o := procOverload{volatility: row[volCol][0]}
			for _, f := range strings.Fields(row[argsCol]) {
				oid, err := strconv.ParseUint(f, 10, 32)
				if err != nil {
					continue // a name, not an OID: never matched exactly
				}
				o.args = append(o.args, uint32(oid))
			}
			procVolatilities[row[nameCol]] = append(procVolatilities[row[nameCol]], o)
		}
	}
}
