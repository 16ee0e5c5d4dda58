package planner

import (
	"strconv"
	"strings"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/storage"
)

// ParseAsOf reads a point in a database's history as pqdb.as_of and
// pqdb_as_of take it: an integer is a commit seq (counted per schema),
// anything else a timestamptz, in loc when it names no zone. It reports
// false for text that is neither, or an infinite time.
func ParseAsOf(v string, loc *time.Location) (storage.AsOf, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		return storage.AsOf{Seq: n, BySeq: true}, true
	}
	d, err := catalog.ParseTextIn(catalog.TypeTimestampTZ, v, loc)
	if err != nil {
		return storage.AsOf{}, false
	}
	micros, ok := d.(int64)
	if !ok || micros == catalog.TimestampInfinity || micros == catalog.TimestampNegInfinity {
		return storage.AsOf{}, false
	}
	return storage.AsOf{Time: time.UnixMicro(micros)}, true
}
