package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Memory and temporary files. Three settings bound what a statement
// holds, as in PostgreSQL:
//
//   - work_mem (default 64MB, PostgreSQL's is 4MB: pqdb's batches are
//     large and its servers usually run few sessions) is what one sort,
//     hash aggregate or hash join may hold before it spills to temporary
//     files (exec/memory_account.go).
//   - hash_mem_multiplier (default 2, as PostgreSQL 15's) scales
//     work_mem for hash aggregates and hash joins.
//   - temp_file_limit (default -1, no limit) bounds the temporary files
//     one statement writes; beyond it the statement fails with 53400.
//   - The server's memory limit (Config.MemoryLimit, --memory-limit;
//     default none) bounds what all running statements hold together;
//     a statement that would pass it and cannot spill fails with 53200,
//     and its session goes on.
//
// Temporary files go in a directory of their own that the engine makes
// under Config.TempDir (default os.TempDir()) when it opens and removes
// when it closes; each statement removes its files when it ends.

// DefaultWorkMem is pqdb's work_mem.
const DefaultWorkMem = "64MB"

// memoryUnits are PostgreSQL's units of memory settings, in kB.
var memoryUnits = []struct {
	name string
	kb   int64
}{{"TB", 1 << 30}, {"GB", 1 << 20}, {"MB", 1 << 10}, {"kB", 1}}

// checkMemory accepts a memory setting in kB within [lo, hi], as
// PostgreSQL reads one: a number of kB, or a number with a unit (B, kB,
// MB, GB, TB), and keeps it as PostgreSQL shows it: in the largest unit
// that holds it exactly.
func checkMemory(name string, lo, hi int64) func(string) (string, error) {
	return func(v string) (string, error) {
		kb, err := parseMemory(v)
		if err != nil {
			e := pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
			e.Hint = `Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".`
			return "", e
		}
		if kb < lo || kb > hi {
			return "", pgerr.New(pgerr.InvalidParameterValue, "%d kB is outside the valid range for parameter \"%s\" (%d .. %d)", kb, name, lo, hi)
		}
		return formatMemory(kb), nil
	}
}

// parseMemory reads a memory setting as kB: a bare number is kB; a
// fraction rounds to the nearest kB, as PostgreSQL's parse_int does.
func parseMemory(v string) (int64, error) {
	s := strings.TrimSpace(v)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || s[end] == '-' || s[end] == '+') {
		end++
	}
	num, err := strconv.ParseFloat(s[:end], 64)
	if err != nil {
		return 0, err
	}
	unit := strings.TrimSpace(s[end:])
	scale := 1.0
	switch unit {
	case "":
	case "B":
		scale = 1.0 / 1024
	default:
		found := false
		for _, u := range memoryUnits {
			if unit == u.name {
				scale, found = float64(u.kb), true
			}
		}
		if !found {
			return 0, strconv.ErrSyntax
		}
	}
	kb := math.Round(num * scale)
	if math.IsNaN(kb) || math.Abs(kb) > math.MaxInt64/2 {
		return 0, strconv.ErrRange
	}
	return int64(kb), nil
}

// formatMemory prints kB as SHOW does.
func formatMemory(kb int64) string {
	if kb <= 0 {
		return strconv.FormatInt(kb, 10)
	}
	for _, u := range memoryUnits {
		if kb%u.kb == 0 {
			return strconv.FormatInt(kb/u.kb, 10) + u.name
		}
	}
	return strconv.FormatInt(kb, 10) + "kB"
}

// checkReal accepts a floating-point setting within [lo, hi], kept as
// PostgreSQL shows it (the shortest form: 2, 1.5).
func checkReal(name string, lo, hi float64) func(string) (string, error) {
	return func(v string) (string, error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) {
			return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
		}
		show := strconv.FormatFloat(f, 'g', -1, 64)
		if f < lo || f > hi {
			return "", pgerr.New(pgerr.InvalidParameterValue, "%s is outside the valid range for parameter \"%s\" (%s .. %s)", show, name,
				strconv.FormatFloat(lo, 'g', -1, 64), strconv.FormatFloat(hi, 'g', -1, 64))
		}
		return show, nil
	}
}

// memorySettingBytes is a memory setting in bytes; 0 for -1 (no limit).
func (s *Session) memorySettingBytes(name string) int64 {
	kb, err := parseMemory(s.settings[name])
	if err != nil {
		kb, _ = parseMemory(settings[name].def)
	}
	return max(kb, 0) * 1024
}

// setExecMemory gives an exec.Context the session's memory settings (as
// execSettings read them), the server's memory budget and its temporary
// directory.
func (s *Session) setExecMemory(ec *exec.Context, es *execSettings) {
	ec.WorkMem, ec.TempFileLimit, ec.HashMemMultiplier = es.workMem, es.tempFileLimit, es.hashMemMultiplier
	ec.Budget = s.eng.memory
	ec.TempDir = s.eng.tempDir
}

// ParseMemorySize reads a size as PostgreSQL reads memory settings
// ("4GB", "512MB", "65536kB"; a bare number is kB) and returns it in
// bytes. It is how --memory-limit is read.
func ParseMemorySize(v string) (int64, error) {
	kb, err := parseMemory(v)
	if err != nil || kb < 0 {
		return 0, fmt.Errorf("invalid size %q: want a number with a unit: B, kB, MB, GB or TB", v)
	}
	return kb * 1024, nil
}
