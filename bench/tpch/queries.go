package tpch

// Query is one benchmark query. Its SQL reads the table lineitem, which is a
// real table on a server and a view over read_parquet in DuckDB, so every
// engine runs the same text.
type Query struct {
	Name string
	SQL  string
}

// Q1 is the TPC-H pricing summary report query (clause 2.4.1) with the
// validation substitution DELTA = 90.
var Q1 = Query{Name: "Q1", SQL: `select
	l_returnflag,
	l_linestatus,
	sum(l_quantity) as sum_qty,
	sum(l_extendedprice) as sum_base_price,
	sum(l_extendedprice * (1 - l_discount)) as sum_disc_price,
	sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge,
	avg(l_quantity) as avg_qty,
	avg(l_extendedprice) as avg_price,
	avg(l_discount) as avg_disc,
	count(*) as count_order
from
	lineitem
where
	l_shipdate <= date '1998-12-01' - interval '90' day
group by
	l_returnflag,
	l_linestatus
order by
	l_returnflag,
	l_linestatus`}

// Q6 is the TPC-H forecasting revenue change query (clause 2.4.6) with the
// validation substitutions DATE = 1994-01-01, DISCOUNT = 0.06, QUANTITY = 24.
var Q6 = Query{Name: "Q6", SQL: `select
	sum(l_extendedprice * l_discount) as revenue
from
	lineitem
where
	l_shipdate >= date '1994-01-01'
	and l_shipdate < date '1994-01-01' + interval '1' year
	and l_discount between 0.06 - 0.01 and 0.06 + 0.01
	and l_quantity < 24`}

// Queries is the benchmark in the order it runs.
var Queries = []Query{Q1, Q6}
