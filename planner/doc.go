// Package planner turns SQL text into executable plans.
//
// The path is the one every query takes:
//
//	parse.go      pg_query (the real Postgres parser) → statements
//	bind_*.go     names and types resolved against the catalog → a logical
//	              plan (plan.go) of typed expressions (expr.go)
//	rule_*.go     rewrites of the logical plan, in optimize.go's order:
//	              WITH queries named once inlined, the others shared
//	              (rule_cte_inline.go); decorrelation of EXISTS, NOT EXISTS and IN subqueries into
//	              semi and anti joins (rule_decorrelate.go), of
//	              correlated scalar aggregates into a left join with the
//	              grouped aggregate (rule_decorrelate_scalar.go) and of
//	              lateral joins that only filter on the left row into
//	              joins (rule_decorrelate_lateral.go); factoring
//	              conjuncts common to every branch of an OR; constant
//	              folding, which also compares a date with a timestamp
//	              constant as a date (rule_date_compare.go) and a
//	              numeric(p,s) column with a constant in its own type
//	              (rule_numeric_compare.go); pushing filters into scans and joins; ordering
//	              inner joins so that no cross product is taken while an
//	              equality connects a table, each hash join building on
//	              its smaller input (rule_join_order.go, with the row
//	              estimates of join_estimate.go from the catalog's table
//	              sizes and column statistics: distinct values for = and
//	              IN, the fraction a range of a column's values holds,
//	              NULL fractions; EXPLAIN shows them per node, and
//	              estimate_distinct.go follows a column down to its
//	              scan); ordering a scan's filter conjuncts, cheap
//	              comparisons with constants first
//	              (rule_filter_order.go); pruning unused columns
//	              (rule_prune.go: a Project above a filtered scan drops
//	              the columns only its filter reads, and folds into a
//	              Project right above it). Each
//	              file states why its rewrite keeps the query's answer
//	lower.go      logical plan → exec operators (the physical plan);
//	              lower_parallel.go runs an aggregate over a large scan as
//	              max_parallel_workers_per_gather+1 pipelines over
//	              partitions of the scan, lower_parallel_sort.go a sort
//	              likewise, and a hash join's build side on a large scan
//	              (joins included, with a serial plan to fall back on
//	              when their shared builds outgrow hash_mem) reads it in
//	              pipelines under a Gather, as does the input of an
//	              aggregate with DISTINCT; the pipelines
//	              share an uncorrelated scalar, EXISTS or IN subquery of
//	              their expressions (LowerOptions carries the
//	              session's settings for how plans run); index_scan.go
//	              reads a scan whose filters pick few rows by a
//	              secondary index's key through the index's files (an
//	              Index Scan; index_kinds.go says which CREATE INDEX
//	              kinds are built, recorded or refused); scan_predicate.go
//	              derives a scan's storage predicates from its filters,
//	              scan_predicate_cast.go through the binder's modifier
//	              casts (char(4) as bpchar, real as double precision,
//	              numeric(p,s) as numeric);
//	              join_build_left.go hashes the left input of a left,
//	              semi or anti join estimated much smaller than its right
//	              (Hash Right Join, Hash Right Semi Join, Hash Right Anti
//	              Join); runtime_filter.go hands a hash join's build keys
//	              to the scan its probe key comes from when the join
//	              drops probe rows without a match
//	bind_from.go  FROM items and JOIN; bind_lateral.go how an item reads
//	              the items beside it (LATERAL subqueries, functions in
//	              FROM) through a capture of its own, as a correlated
//	              subquery does, and becomes a LateralJoin
//	              (lateral_join.go: Right re-run per Left row) when it
//	              reads any; bind_join_alias.go (a JOIN b) AS j and
//	              USING (...) AS j; scope.go and scope_hint.go name
//	              resolution and PostgreSQL's errors and hints for names
//	              that resolve to nothing or may not be referenced
//	bind_cte.go   WITH queries, bound in place where they are named,
//	              reading the values of the queries around their WITH
//	              (a WITH in a correlated or LATERAL subquery) through
//	              the query levels between (scope.reach);
//	              bind_modifying_cte.go data-modifying ones (top level
//	              only, in WITH RECURSIVE lists too), bound once into a
//	              ModifyingWithPlan whose references read their RETURNING
//	              rows (ModifiedRows); bind_recursive.go,
//	              plan_recursive.go and lower_recursive.go: WITH
//	              RECURSIVE, a recursive union over a working table,
//	              evaluated once per statement (once per run of its
//	              reference when it reads an outer value)
//	bind_window.go window function calls (OVER, WINDOW) → Window nodes
//	              stacked between HAVING and DISTINCT/ORDER BY/LIMIT;
//	              bind_window_frame.go their frames
//	bind_grouping_sets.go GROUPING SETS, ROLLUP, CUBE (one Aggregate per
//	              set over one shared evaluation of the input, appended)
//	              and GROUPING(...)
//	bind_functional_grouping.go columns of a table whose primary key is
//	              grouped (functional dependency): readable outside
//	              aggregates, and read through any_value, not hashed
//	bind_locking.go SELECT ... FOR UPDATE/SHARE [OF] [NOWAIT|SKIP LOCKED]:
//	              row ids carried to a LockRows node (plan_lock_rows.go)
//	              between ORDER BY and LIMIT, lowered with the engine's
//	              locker (lower_lock_rows.go); bind_view_names.go the
//	              schemas CREATE VIEW writes into the query it stores
//	limit_with_ties.go FETCH FIRST ... WITH TIES; limit_outer.go a LIMIT
//	              or OFFSET that reads an outer value (LIMIT t.n in a
//	              LATERAL subquery), computed each time its plan runs
//	bind_jsonb.go the json and jsonb operators, bound to exec's functions,
//	              json(b)_agg's arguments, and the refusal to group or
//	              sort by json (checkJSONKeys)
//	bind_array.go ARRAY[...], ARRAY(subquery), subscripts, op ANY/ALL
//	              (array) and the array operators, bound to exec's array
//	              functions; project_set.go set-returning functions in
//	              the select list (one ProjectSet per nesting level) and
//	              in FROM (ROWS FROM, WITH ORDINALITY, implicitly LATERAL)
//	bind_aggregate.go aggregate calls: arguments, DISTINCT, ORDER BY,
//	              FILTER, WITHIN GROUP
//	bind_dml.go   INSERT, UPDATE (FROM), DELETE (USING) and RETURNING;
//	              bind_upsert.go ON CONFLICT; bind_check.go CHECK
//	              constraints, bound over the rows a statement writes
//	              (CheckRows); bind_index_expr.go expression and
//	              partial indexes: CREATE INDEX's validation, the keys
//	              storage enforces (IndexKeyExprs), ON CONFLICT
//	              inference and their printing; bind_create_as.go CREATE TABLE AS, SELECT
//	              INTO and TRUNCATE; temp_schema.go temporary tables
//	              (the session's schema, pg_temp, ON COMMIT)
//	coerce.go     implicit casts and the resolution of operators
//	bind_explain.go EXPLAIN's options; explain.go records, while a plan is
//	              lowered, the operator each node became (so EXPLAIN names
//	              what runs) and under ANALYZE wraps each in an
//	              exec.Instrumented, handing the engine the statement's
//	              parts to run (ExplainPart: its data-modifying WITH
//	              queries, then the main query or INSERT, UPDATE, DELETE);
//	              explain_render.go prints the result as PostgreSQL's text
//	              or JSON
//	bind_bitwise.go the integer operators & | # ~ << >>; bind_row_compare.go
//	              row-value comparisons, expanded element by element
//	bind_record.go records: ROW(...) values, whole-row references (t,
//	              t.*), field selection ((r).f, (r).*), record comparisons
//	              and IS NULL, grouping and sorting by records
//	              (record_expr.go: RowExpr, FieldSelect);
//	              bind_record_presence.go the presence column that makes
//	              an outer join's NULL-extended row a NULL record;
//	              bind_column_definition.go column definition lists of
//	              the functions returning records (jsonb_to_recordset(j)
//	              AS x(a int, ...)) and the populate forms over a table's
//	              row type (NULL::t)
//	bind_alter_table.go, bind_rename.go, bind_foreign_key.go,
//	              bind_comment.go ALTER TABLE, renames, FOREIGN KEY and
//	              COMMENT ON
//	user_type.go  enums and domains in expressions: type names find
//	              them through the search path, enum values read as
//	              literals or cast from text are checked against the
//	              labels; lower_enum.go lowers what depends on an enum's
//	              order (comparisons, sort keys, min/max, GREATEST/LEAST)
//	              with the labels of the statement's catalog;
//	              enum_funcs.go enum_first, enum_last, enum_range;
//	              domain.go casts to a domain and the checks of written
//	              rows (DomainRows), DomainCheck expressions;
//	              bind_type_ddl.go, bind_domain_ddl.go CREATE/ALTER/DROP
//	              TYPE and DOMAIN
//	notices.go    the NOTICEs and WARNINGs binding raises (TIMESTAMP(7)
//	              precision reduced to maximum allowed, 6; IF EXISTS found
//	              nothing): collected in order, handed over with the plan
//	              (Bound.Notices) or an ALTER TABLE step, and sent by the
//	              engine before it runs either
//	colname.go    the names of unaliased select-list items
//	              (FigureColname), a scalar subquery's from its bound
//	              first column; bind_collate.go COLLATE; index_types.go
//	              the types a key or index cannot have (json)
//	deparse.go    stored DEFAULTs, CHECKs and view queries printed as
//	              PostgreSQL's ruleutils.c prints them (pg_get_expr,
//	              pg_get_constraintdef, pg_get_viewdef): bound in the
//	              catalog of the moment, with deparse_notes.go noting
//	              what the bound tree forgets of the text (written
//	              casts, CURRENT_DATE, subqueries), then printed from the
//	              bound tree (deparse_expr.go, deparse_calls.go) and,
//	              for a view, the query's parse tree (deparse_query.go)
//
// Invariants:
//   - Expressions refer to columns by position in their input's output
//     (ColRef.Index); a rule that moves an expression remaps it.
//   - Every expression is fully typed after binding. Implicit coercions are
//     explicit Cast nodes, so exec kernels always see the operand types
//     they were built for.
//   - Parameters ($n) stay Param nodes in the plan; their values are bound
//     only when the plan is lowered, so one plan describes a prepared
//     statement and then runs with any arguments. A lookup by primary key
//     is lowered once to operators that read its parameters and snapshot
//     when they open (lower_rebind.go), so that its runs lower nothing.
//   - The planner never reads or writes data: it sees the catalog and a
//     Scan function through the Catalog interface, and the engine executes
//     what it returns. read_parquet (bind_read_parquet.go) is a Scan whose
//     Files, storage.ParquetFiles opened through Options.Files (the
//     engine's --allow-files fence), replace a stored table, so
//     projections and filters reach it as they reach a table scan; COPY
//     ... FROM a Parquet file binds as an INSERT ... SELECT over it
//     (copy_parquet.go).
package planner
