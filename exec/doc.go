// Package exec is pqdb's vectorized executor: physical plans are trees of
// Operators that pull Arrow columns through in Batches of up to
// ctx.MaxBatchRows() rows (64k unless the statement's Context sets
// BatchRows; tests set a few rows to put batch boundaries everywhere).
//
// # Batches and selection vectors
//
// A Batch is a set of equal-length Arrow arrays plus an optional selection
// vector (Sel) listing the active rows. Filters narrow Sel instead of
// copying; projections compute new columns for the physical rows and pass
// Sel on; only sinks that keep rows (sort, join build, aggregation)
// compact. A batch returned by Next belongs to the operator that made it
// and is valid until the next call to Next or Close; whoever keeps data
// longer retains the arrays or calls Compact.
//
// Scratch space and per-group state are reused across batches and across
// re-opens: growTo hands out zeroed elements, and nothing may write or
// read bytes of a Buffer past its length (an allocator may give more
// capacity, which a later Reserve or Resize does not keep).
//
// # Operators: sources, sinks and streaming operators
//
// As in DuckDB, an operator is a source (Scan, Values), a streaming
// operator in the middle (Filter, Project, Limit, Distinct, the probe side
// of joins, UnionAll), a sink that must see all its input before it emits
// (HashAggregate, Sort, TopN, Window, the build side of joins), or a sink followed
// by a source. Every Operator is re-openable: Open resets its state, so a
// correlated subquery can run its plan once per outer row. Close is called
// exactly once per Open, also after errors, and also when Open failed; an
// operator closes its inputs. Operators check ctx.Ctx once per batch and
// return its error (the engine maps cancellation to 57014).
//
// # Expressions and kernels
//
// An Expr evaluates to one column for a whole batch. Kernels are chosen
// when an expression is built (the planner has resolved every type and
// inserted explicit casts) and then loop over typed Arrow buffers, viewed
// as Go slices of the column's physical type; generics instantiate one
// loop per type. Kernels compute only the active rows: errors such as
// division by zero or overflow are raised only for rows that are selected
// and non-NULL. Conditional expressions (CASE, COALESCE, AND, OR) evaluate
// each argument only on the rows that still need it, so guards work as in
// PostgreSQL.
//
// A filter (SelectTrue, filter_select.go) does not build a boolean
// column where it can select rows directly: a conjunction narrows the
// selection vector in place, conjunct after conjunct, and a comparison of
// an integer, date, timestamp or fixed-scale numeric expression with a
// constant (constCompare) appends the rows it holds for straight from the
// values. A row is dropped at its first false or NULL conjunct, as
// PostgreSQL's quals drop it.
//
// Semantics are PostgreSQL's: SQLSTATEs and messages, three-valued logic,
// integer overflow checks, numeric scale rules (see arith.go), string
// comparison in the C collation, NULLs sorting as larger than any value,
// and text input/output formats, which casts take from catalog's input and
// output functions so that a cast prints and reads exactly as the wire
// protocol and COPY do (cast_text.go lists the two intended differences).
//
// # Scalar functions
//
// Functions are registered by name with a resolver (PostgreSQL's overload
// choice) and a builder (funcs.go), one family per file. Each carries
// pg_proc's volatility, which the planner reads through FuncVolatility:
// immutable calls with constant arguments are folded when planning,
// stable ones (now(), age(ts)) are evaluated once per statement's clock,
// and volatile ones (random(), clock_timestamp(), pg_sleep(),
// gen_random_uuid(), setseed()) run once per row where they are written.
// Float8 math goes through the C library (internal/libm, one cgo call per
// batch) because PostgreSQL prints libm's results to the last digit;
// regular expressions use internal/pgregex, PostgreSQL's ARE semantics.
//
// # Enums and domains
//
// An enum value is its label's text (enum.go): equality, hashing and
// output need nothing else, but exec does not know the labels' declared
// order, so it refuses to order enums by itself. The planner hands the
// labels to the expressions that need them: EnumRank (what comparisons
// and sort keys order by), EnumInput (text read as an enum), EnumRange,
// and Aggregate.EnumLabels (min, max, DISTINCT). DomainCheck
// (domain_check.go) checks values against a domain's NOT NULL and CHECK
// constraints, the constraints being expressions over a one-column batch
// of the values.
//
// # Subqueries
//
// Subquery evaluates a plan as an expression. A correlated subquery lists
// the outer expressions its plan reads through OuterRef; for each outer
// row their values are pushed on ctx.Outer and the plan is re-opened. A
// subquery with no outer expressions is taken to be uncorrelated and runs
// once per statement (cached in the Context), so a subquery that reads an
// outer row of any level must list outer expressions. LateralJoin runs
// its right plan the same way, once per distinct tuple of outer values
// of its left rows, and joins each left row with the rows it returned.
//
// # Parallel pipelines
//
// Operators and expressions are used by one goroutine at a time. Plans
// run in parallel as pipelines: partitions of a scan, each through its
// own filters, projections and joins' probes (of one shared build,
// join_shared_build.go), each with its own expressions and Context, on a
// goroutine of its own (pipelines.go). Three operators take pipelines:
// ParallelHashAggregate (partial aggregations whose states merge at the
// end, or, for tables in direct mode, only those of the keys two tables
// share), ParallelSort (each pipeline sorts its rows; the consumer merges
// the sorted streams by their normalized keys) and Gather (the union, in
// no order; with a serial plan to fall back to when a shared build
// outgrows hash_mem before any row came out). The first error cancels
// the other pipelines; Next returns only once every goroutine has ended.
// ctx.Mem must be safe for concurrent use, as PoolAllocator is. An uncorrelated scalar, EXISTS or
// IN subquery that every pipeline evaluates has one shared plan
// (SharedSubquery, shared_subquery.go) that the first pipeline to need
// it runs, once per statement.
//
// # Values and memory
//
// A single value outside a column is a catalog.Datum, whose Go type is the
// element type of the Arrow column of its SQL type. Arrays are allocated
// from ctx.Mem (by default a PoolAllocator that recycles batch-sized
// buffers) and released deterministically; tests run with a checked
// allocator to keep the package leak-free. Literals keep one shared
// batch-wide copy of their value on the Go heap.
//
// # Memory and spilling
//
// Operators that hold rows charge them to their statement's account
// (memory_account.go): sorts, hash aggregates, hash joins, windows and
// nested-loop joins. Two limits apply. Context.WorkMem (work_mem) bounds
// one operator (a hash table: WorkMem times HashMemMultiplier, as in
// PostgreSQL): past it a sort writes sorted runs to temporary files and
// merges them (external_sort.go), a hash aggregate freezes its table and
// sends the rows of new groups to hash partitions that it aggregates
// afterwards (grace_aggregate.go), and a hash join partitions both sides
// and joins partition by partition (grace_join.go); partitions that are
// still too large partition again by further hash bits, down to
// maxSpillLevel levels, below which a partition (one huge key) is
// processed in memory. Hash tables that parallel pipelines fill together
// (a shared join build, a parallel aggregate's partial tables) may hold
// that once per pipeline, as PostgreSQL's parallel workers may. A
// parallel aggregate whose pipelines outgrow it runs its inputs again,
// partitioning their rows by key hash into files, and aggregates the
// partitions in parallel (parallel_grace_aggregate.go); one over a
// shared join build, whose pipelines cannot run again, runs its serial
// plan instead, whose joins spill.
// Results are identical to the in-memory operators': a sort's order
// exactly (runs are stable and merged ties-to-earlier-run), an
// aggregate's groups and values (each group's rows stay together, in
// input order), a join's rows (in another order). Context.Budget, the
// server's memory limit, bounds all statements together: an operator
// that can spill spills when a charge fails; one that cannot fails with
// 53200. Spill files are Arrow IPC streams in Context.TempDir
// (spill_files.go), counted against Context.TempFileLimit (53400), and
// removed when their operator is done or, at the latest, when the
// statement's Context is released, on success, error, cancel or panic.
// EXPLAIN ANALYZE shows each sort's method and space and each hash
// node's batches, peak memory and disk use (MemoryReport).
//
// # Files
//
//	operator.go batch.go vector.go appender.go pool.go   contracts, columns, builders, memory
//	column.go binary.go arith.go compare.go logic.go     column refs, literals, operators
//	like.go concat.go case.go datetime_arith.go          LIKE, ||, CASE/COALESCE/IN, date math
//	cast.go cast_text.go cast_datetime.go                casts; to and from text through catalog; date/time
//	funcs.go                                             function registry: overloads, volatility, strictness
//	math.go math_int.go trig.go random.go                math, trigonometry (libm), random()/setseed()
//	math_bitwise.go                                      int2/int4/int8 and, or, xor, not, shl, shr
//	strings.go format.go hash_funcs.go encode.go         strings, format()/quote_*, md5/sha*, encode/decode
//	regexp.go (internal/pgregex)                         POSIX regular expressions with PostgreSQL's semantics
//	regexp_sets.go string_split.go                       regexp_match(es), regexp_split_*; string_to_array/_table
//	datetime.go datetime_make.go sleep.go                extract, date_trunc, clocks, make_*, age, date_bin, pg_sleep
//	zoned.go datetime_zone.go                            the session's TimeZone in kernels; AT TIME ZONE
//	to_char.go to_char_num.go to_timestamp.go            to_char, to_number, to_date, to_timestamp (formatting.c)
//	numeric.go numeric_int64.go calendar.go              arithmetic primitives, int64 fast paths
//	varnumeric.go varnumeric_arith.go varnumeric_cast.go var-scale numeric: readers, + - * / %, casts
//	varnumeric_agg.go varnumeric_funcs.go                sum/avg/min/max, math functions
//	varnumeric_keys.go                                   hash and sort keys (numeric.AppendKey)
//	subquery.go shared_subquery.go                       scalar, EXISTS, IN, ANY, ALL subqueries; one shared by pipelines
//	values.go scan.go filter.go project.go limit.go      streaming operators; filter_select.go
//	                                                     selection without booleans (constCompare, conjunctions)
//	limit_ties.go                                        FETCH FIRST ... WITH TIES over sorted input
//	lock_rows.go                                         SELECT ... FOR UPDATE's row locks (through the engine's RowLocker)
//	hashtable.go hashtable_packed.go                     hash tables, packed narrow keys
//	hashtable_direct.go                                  grouping or joining on one integer key by position (direct map)
//	aggregate.go hash_aggregate.go                       grouping; count, sum, avg, min, max, bool_*
//	agg_shared_sum.go                                    avg(x) sharing the state of sum(x) of the same column
//	agg_any_value.go                                     any_value: a group's value of a column its key determines
//	agg_string.go agg_bits.go agg_stats.go agg_regr.go   string_agg, bit_*, variances, regression
//	agg_order.go agg_ordered_set.go                      ORDER BY in calls; percentile_*, mode
//	array_layout.go array_keys.go array_cast.go          arrays: List columns, order/hash keys, casts
//	array_funcs.go agg_array.go                          array functions and operators, array_agg
//	set_func.go project_set.go                           set-returning functions and the ProjectSet operator
//	array_unnest.go series.go json_sets.go               unnest; generate_series, generate_subscripts; json(b)_each, ..._elements, ..._object_keys
//	jsonb_order.go                                       jsonb comparison, hash and sort keys (jsonb.AppendKey)
//	jsonb_ops.go jsonb_funcs.go json_funcs.go            json and jsonb operators and functions (json_args.go)
//	json_convert.go jsonb_build.go agg_json.go           SQL values to JSON: to_json(b), json(b)_build_*, json(b)_agg
//	jsonb_cast.go                                        casts to, from and between json and jsonb
//	record.go record_layout.go record_keys.go            records: Struct columns, ROW, field access, IS NULL,
//	record_json.go json_to_record.go                     record_eq/record_cmp keys, to_json(b) and row_to_json,
//	                                                     json(b)_to_record(set), json(b)_populate_record(set)
//	pipelines.go gather.go                               running pipelines; their union
//	parallel_hash_aggregate.go                           grouping by parallel pipelines (tables in direct
//	                                                     mode merged by their shared keys);
//	parallel_grace_aggregate.go                          past memory, by partitions in parallel
//	parallel_sort.go                                     sorting by parallel pipelines, merged by key
//	join.go hash_join.go nested_loop_join.go             joins; runtime_filter.go a hash join's build keys for its left scan
//	join_right.go                                        hash joins that preserve their build side (right, right semi/anti)
//	lateral_join.go                                      LATERAL: the right plan re-run per (distinct) left row
//	sort_key.go sort_radix.go                            normalized sort keys; radix sort of them
//	sort.go topn.go window.go                            ordering and window functions: window_frame.go
//	                                                     frames (ROWS/RANGE/GROUPS, EXCLUDE), window_rank.go
//	                                                     ranking, window_value.go lag/lead/first/last/nth,
//	                                                     window_aggregate.go aggregates over frames
//	distinct.go union.go set_op.go                       DISTINCT, UNION, INTERSECT, EXCEPT
//	instrument.go memory_report.go                       EXPLAIN ANALYZE's per-operator rows, loops, times, memory
//	memory_account.go spill_files.go                     memory accounting and limits; temporary files
//	external_sort.go grace_aggregate.go grace_join.go    spilling sort, hash aggregate and hash join
//	hashtable_size.go                                    hash tables' memory estimates
//
// # Benchmarks and allocation guards
//
// kernel_bench_test.go holds one plan per kernel (filters, LIKE, the Q1
// projection, low- and high-cardinality aggregation, hash join build and
// probe, sort, top-N) over in-memory records: BenchmarkKernels times each
// over 1M rows with allocation counts (cpu-ns/row is the steadier figure
// on a shared machine), TestKernelAllocsPerBatch bounds each one's
// allocations per 1024-row batch (allocation counts are deterministic, so
// a kernel that starts allocating per row fails it), and
// TestKernelResults checks each plan's answer at batch sizes 1, 1023,
// 1024 and 1025 against one batch's.
package exec
