package engine

import (
	"context"
	"strconv"

	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
)

// Three settings choose how a session's plans run without changing what
// they compute, so that a differential test can run one query many ways
// and expect one answer:
//
//   - pqdb.batch_rows caps the rows of every batch that scans (storage
//     included) and operators emit; 1, 2 or 3 rows per batch drive every
//     operator across batch boundaries with small tables.
//   - max_parallel_workers_per_gather (PostgreSQL's name and meaning)
//     caps the extra pipelines of a parallel aggregate, and the extra
//     goroutines that decode a COPY FROM (pgcopy's parallel reader);
//     0 runs neither in parallel.
//   - pqdb.parallel_min_rows is the smallest table aggregated in
//     parallel; 0 makes even tiny tables run parallel plans.
//
// They apply to every plan the session runs: queries, cursors, COPY TO
// and the sources of INSERT, UPDATE and DELETE.

// maxBatchRows bounds pqdb.batch_rows: batches index rows with int32 and
// size their scratch by the batch.
const maxBatchRows = 1 << 20

// lowerOptions are the session's settings for lowering plans.
func (s *Session) lowerOptions() planner.LowerOptions {
	es := s.execSettings()
	if s.lockRowsFunc == nil {
		s.lockRowsFunc = s.lockInCurrentTxn
	}
	return planner.LowerOptions{
		ParallelWorkers: es.parallelWorkers,
		ParallelMinRows: es.parallelMinRows,
		NoIndexScan:     es.noIndexScan,
		Modified:        s.modified,
		System:          systemCatalog{s},
		LockRows:        s.lockRowsFunc,
	}
}

// execContext is the exec.Context for one run of a plan of this session,
// in the session's TimeZone.
func (s *Session) execContext(ctx context.Context) *exec.Context {
	var ec *exec.Context
	if s.txnStart.IsZero() {
		ec = exec.NewContext(ctx)
	} else {
		ec = exec.NewContextAt(ctx, s.stmtStart)
		ec.Now = s.txnStart
	}
	es := s.execSettings()
	ec.Location = s.location()
	ec.BatchRows = es.batchRows
	ec.Random = &s.random
	s.setExecMemory(ec, es)
	return ec
}

// execSettings are the settings every run of a plan reads, read once
// per change of the settings rather than once per run.
type execSettings struct {
	version           uint64 // the settingsVersion they were read at
	read              bool
	parallelWorkers   int
	parallelMinRows   int64
	noIndexScan       bool
	batchRows         int
	workMem           int64
	tempFileLimit     int64
	hashMemMultiplier float64
}

// execSettings returns the session's execSettings for its settings now.
func (s *Session) execSettings() *execSettings {
	es := &s.execSet
	if es.read && es.version == s.settingsVersion {
		return es
	}
	es.read, es.version = true, s.settingsVersion
	es.parallelWorkers = int(s.intSetting("max_parallel_workers_per_gather"))
	es.parallelMinRows = s.intSetting("pqdb.parallel_min_rows")
	es.noIndexScan = s.settings["enable_indexscan"] == "off"
	es.batchRows = int(s.intSetting("pqdb.batch_rows"))
	es.workMem = s.memorySettingBytes("work_mem")
	es.tempFileLimit = s.memorySettingBytes("temp_file_limit")
	es.hashMemMultiplier, _ = strconv.ParseFloat(s.settings["hash_mem_multiplier"], 64)
	return es
}

// intSetting reads an integer setting, which its check has already
// validated and normalised.
func (s *Session) intSetting(name string) int64 {
	n, err := strconv.ParseInt(s.settings[name], 10, 64)
	if err != nil {
		n, _ = strconv.ParseInt(settings[name].def, 10, 64)
	}
	return n
}
