package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestWindowFunctions covers window functions end to end: row_number,
// rank and dense_rank over peers, lag and lead with offsets (negative and
// zero too) and defaults (of a common type with the value), first_value,
// every aggregate as a window function with the default frame (a running
// value through the current row's last peer) and over the whole
// partition (no ORDER BY, or ROWS BETWEEN UNBOUNDED PRECEDING AND
// UNBOUNDED FOLLOWING), partitions with NULL keys, OVER () over
// aggregates and window keys that are aggregates, named windows and
// windows copied from them, several window specifications in one query,
// window functions with DISTINCT, ORDER BY and LIMIT, over a join, in
// ORDER BY, in subqueries (correlated ones too), CTEs and a view (a
// filter on a window's result or on a column beside it must not be
// pushed below the window), the spellings of the default frame, and
// empty inputs. Every query runs at batch sizes that put a boundary after
// every row, every few rows and every 1023 rows as well as the default,
// without and with parallel aggregates under the windows, before and
// after CHECKPOINT, so partitions straddle batches. The
// expected rows come from PostgreSQL 15 over the same tables.
func TestWindowFunctions(t *testing.T) {
	conn := startWindowTables(t)
	queries := []string{
		`SELECT g, k, id, row_number() OVER (PARTITION BY g ORDER BY k, id), rank() OVER (PARTITION BY g ORDER BY k), dense_rank() OVER (PARTITION BY g ORDER BY k) FROM wt WHERE id <= 60 ORDER BY g NULLS FIRST, k, id`,
		`SELECT sum(rn), sum(rk), sum(dr), count(*), max(rn), max(rk), max(dr) FROM (SELECT row_number() OVER (PARTITION BY g ORDER BY k, id) rn, rank() OVER (PARTITION BY g ORDER BY k) rk, dense_rank() OVER (PARTITION BY g ORDER BY k) dr FROM wt) s`,
		`SELECT id, v, lag(v) OVER w, lead(v, 2) OVER w, lag(v, 3, -1) OVER w, lead(s, 1, 'end') OVER w FROM wt WHERE id <= 40 WINDOW w AS (PARTITION BY id % 3 ORDER BY id) ORDER BY id`,
		`SELECT sum(x), count(x), count(*) FROM (SELECT lag(v, 5, 0) OVER (PARTITION BY g ORDER BY id) - lead(v) OVER (PARTITION BY g ORDER BY id) x FROM wt) s`,
		`SELECT id, g, first_value(v) OVER (PARTITION BY g ORDER BY v DESC NULLS LAST, id), first_value(s) OVER (PARTITION BY g ORDER BY id DESC) FROM wt WHERE id <= 30 ORDER BY id`,
		`SELECT k, id, sum(v) OVER (ORDER BY k), count(*) OVER (ORDER BY k), count(v) OVER (ORDER BY k), avg(v) OVER (ORDER BY k) FROM wt WHERE id <= 25 ORDER BY k, id`,
		`SELECT g, id, sum(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), first_value(id) OVER (PARTITION BY g ORDER BY id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), max(id) OVER (PARTITION BY g) FROM wt WHERE id <= 30 ORDER BY id`,
		`SELECT id, min(s) OVER w, max(f) OVER w, bool_and(v > 10) OVER w, bool_or(v > 90) OVER w, every(k < 9) OVER w FROM wt WHERE id <= 20 WINDOW w AS (ORDER BY id) ORDER BY id`,
		`SELECT id, g, sum(n) OVER (PARTITION BY g), avg(n) OVER (PARTITION BY g), avg(f) OVER (PARTITION BY g), sum(f) OVER (PARTITION BY g ORDER BY id) FROM wt WHERE id <= 20 ORDER BY id`,
		`SELECT g, count(*), sum(count(*)) OVER (), rank() OVER (ORDER BY sum(v) DESC), sum(v) FROM wt GROUP BY g ORDER BY g NULLS FIRST`,
		`SELECT g, round(count(*) * 100.0 / sum(count(*)) OVER (), 2), sum(sum(v)) OVER (ORDER BY g) FROM wt GROUP BY g ORDER BY g`,
		`SELECT id, count(*) OVER (), sum(v) OVER (), min(v) OVER () FROM wt WHERE id < 5 ORDER BY id`,
		`SELECT id, rank() OVER (w ORDER BY k), sum(v) OVER (w ORDER BY k, id), count(*) OVER w FROM wt WHERE id <= 30 WINDOW w AS (PARTITION BY g) ORDER BY id`,
		`SELECT k, sum(v), row_number() OVER (ORDER BY sum(v) DESC, k), dense_rank() OVER (ORDER BY count(*)), count(*) FROM wt GROUP BY k HAVING count(*) > 100 ORDER BY k`,
		`SELECT DISTINCT g, max(v) OVER (PARTITION BY g) FROM wt ORDER BY 2 DESC, 1 LIMIT 4`,
		`SELECT wd.label, wt.id, row_number() OVER (PARTITION BY wd.label ORDER BY wt.id DESC), count(*) OVER (PARTITION BY wd.label) FROM wt JOIN wd ON wt.g = wd.g WHERE wt.id <= 40 ORDER BY wd.label, wt.id`,
		`SELECT id, v FROM wt WHERE id <= 40 ORDER BY rank() OVER (ORDER BY v DESC NULLS LAST), id LIMIT 10`,
		`SELECT id, sum(v) OVER (PARTITION BY k ORDER BY id) AS rs FROM wt WHERE id <= 30 ORDER BY rs DESC, id LIMIT 5`,
		`SELECT * FROM (SELECT id, g, row_number() OVER (PARTITION BY g ORDER BY id) rn FROM wt) s WHERE rn <= 2 ORDER BY g NULLS FIRST, rn`,
		`SELECT count(*), min(t), max(t), max(c) FROM (SELECT g, count(*) OVER (PARTITION BY g) c, sum(v) OVER () t FROM wt) s WHERE g = 3`,
		`SELECT count(*), sum(id) FROM wt WHERE id IN (SELECT first_value(id) OVER (PARTITION BY g ORDER BY v DESC NULLS LAST, id) FROM wt)`,
		`SELECT id, row_number() OVER () FROM wt WHERE id < 0`,
		`SELECT count(*), sum(count(*)) OVER () FROM wt WHERE id < 0`,
		`SELECT v, id, rank() OVER (ORDER BY v NULLS FIRST), lag(v) OVER (ORDER BY v NULLS FIRST, id) FROM wt WHERE id <= 30 ORDER BY v NULLS FIRST, id`,
		`SELECT id, lag(k, 1, 0.5) OVER (ORDER BY id), lead(n, 1, 0) OVER (ORDER BY id) FROM wt WHERE id <= 5 ORDER BY id`,
		`SELECT id, row_number() OVER w, row_number() OVER w * 10, row_number() OVER (ORDER BY id DESC) FROM wt WHERE id <= 6 WINDOW w AS (ORDER BY id) ORDER BY id`,
		`SELECT g, sum(rs), count(*), max(rs) FROM (SELECT g, sum(v) OVER (PARTITION BY g ORDER BY k) rs FROM wt) s GROUP BY g ORDER BY g NULLS FIRST`,
		`SELECT s, count(*), sum(sum(v)) OVER (ORDER BY s), first_value(s) OVER (ORDER BY count(*) DESC, s) FROM wt GROUP BY s ORDER BY s`,
		`WITH r AS (SELECT g, id, rank() OVER (PARTITION BY g ORDER BY v DESC NULLS LAST) rk FROM wt) SELECT g, id FROM r WHERE rk = 1 UNION ALL SELECT NULL, count(*) FROM r WHERE rk <= 3 ORDER BY 1 NULLS FIRST, 2`,
		`SELECT k % 3, count(*), sum(count(*)) OVER (PARTITION BY k % 3 > 0), avg(sum(v)) OVER () FROM wt GROUP BY k % 3 ORDER BY 1`,
		`SELECT id, lag(id, 0) OVER (ORDER BY id), lead(id, -1) OVER (ORDER BY id), lag(id, 2, NULL) OVER (ORDER BY id) FROM wt WHERE id <= 4 ORDER BY id`,
		`SELECT id, dense_rank() OVER (ORDER BY s DESC), rank() OVER (PARTITION BY s ORDER BY f), row_number() OVER (PARTITION BY s ORDER BY f, id) FROM wt WHERE id <= 20 ORDER BY id`,
		`SELECT count(*), sum(id) FROM wt WHERE id % 7 IN (SELECT row_number() OVER (ORDER BY wd.label) FROM wd WHERE wd.g = wt.g OR wd.g IS NULL)`,
		`SELECT g, (SELECT sum(count(*)) OVER () FROM wd WHERE wd.g = wt.g) FROM wt WHERE id <= 12 ORDER BY id`,
		`SELECT count(*) FROM wt WHERE EXISTS (SELECT 1 FROM (SELECT g, rank() OVER (ORDER BY label) r FROM wd) s WHERE s.g = wt.g AND s.r > 2)`,
		`SELECT g, label, rank() OVER (ORDER BY g DESC) FROM wd ORDER BY 3, 2`,
		`SELECT id, sum(id) OVER (PARTITION BY id % 2 ORDER BY id % 4), count(*) OVER (PARTITION BY id % 2 ORDER BY id % 4 RANGE UNBOUNDED PRECEDING), count(*) OVER (ORDER BY id % 4 GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM wt WHERE id <= 8 ORDER BY id`,
		`SELECT x, row_number() OVER (ORDER BY x) FROM (VALUES (3), (1), (2)) v(x) ORDER BY 1`,
		`SELECT lag('a', 1, 'b') OVER (ORDER BY g), lag(NULL, 1, 2) OVER (ORDER BY g), lag(g, '1') OVER (ORDER BY g) FROM wd ORDER BY g`,
		`SELECT * FROM wv ORDER BY r`,
	}
	want := []string{
		`NULL|2|44|1|1|1;NULL|3|11|2|2|2;NULL|5|55|3|3|3;NULL|6|22|4|4|4;NULL|9|33|5|5|5;0|1|7|1|1|1;0|2|14|2|2|2;0|3|21|3|3|3;0|4|28|4|4|4;0|5|35|5|5|5;0|6|42|6|6|6;0|7|49|7|7|7;0|8|56|8|8|8;1|0|50|1|1|1;1|1|57|2|2|2;1|3|1|3|3|3;1|4|8|4|4|4;1|5|15|5|5|5;1|7|29|6|6|6;1|8|36|7|7|7;1|9|43|8|8|8;2|0|30|1|1|1;2|1|37|2|2|2;2|3|51|3|3|3;2|4|58|4|4|4;2|6|2|5|5|5;2|7|9|6|6|6;2|8|16|7|7|7;2|9|23|8|8|8;3|0|10|1|1|1;3|1|17|2|2|2;3|2|24|3|3|3;3|3|31|4|4|4;3|4|38|5|5|5;3|5|45|6|6|6;3|6|52|7|7|7;3|7|59|8|8|8;3|9|3|9|9|9;4|0|60|1|1|1;4|2|4|2|2|2;4|4|18|3|3|3;4|5|25|4|4|4;4|6|32|5|5|5;4|7|39|6|6|6;4|8|46|7|7|7;4|9|53|8|8|8;5|0|40|1|1|1;5|1|47|2|2|2;5|2|54|3|3|3;5|5|5|4|4|4;5|6|12|5|5|5;5|7|19|6|6|6;5|8|26|7|7|7;6|0|20|1|1|1;6|1|27|2|2|2;6|2|34|3|3|3;6|3|41|4|4|4;6|4|48|5|5|5;6|8|6|6|6|6;6|9|13|7|7|7`,
		`570063|514699|16500|3000|390|352|10`,
		`1|37|NULL|59|-1|s4;2|74|NULL|96|-1|s0;3|11|NULL|NULL|-1|s1;4|48|37|70|-1|s2;5|85|74|7|-1|s3;6|22|11|44|-1|s4;7|59|48|81|-1|s0;8|96|85|18|-1|s1;9|NULL|22|55|-1|s2;10|70|59|92|37|s3;11|7|96|29|74|s4;12|44|NULL|NULL|11|s0;13|81|70|3|48|s1;14|18|7|40|85|s2;15|55|44|77|22|s3;16|92|81|14|59|s4;17|29|18|51|96|s0;18|NULL|55|88|NULL|s1;19|3|92|25|70|s2;20|40|29|62|7|s3;21|77|NULL|NULL|44|s4;22|14|3|36|81|s0;23|51|40|73|18|s1;24|88|77|10|55|s2;25|25|14|47|92|s3;26|62|51|84|29|s4;27|NULL|88|21|NULL|s0;28|36|25|58|3|s1;29|73|62|95|40|s2;30|10|NULL|NULL|77|s3;31|47|36|69|14|s4;32|84|73|6|51|s0;33|21|10|43|88|s1;34|58|47|80|25|s2;35|95|84|NULL|62|s3;36|NULL|21|NULL|NULL|s4;37|69|58|NULL|36|s0;38|6|95|NULL|73|end;39|43|NULL|NULL|10|end;40|80|69|NULL|47|end`,
		`-1802|2332|3000`,
		`1|1|96|s4;2|2|92|s0;3|3|88|s4;4|4|48|s0;5|5|85|s1;6|6|81|s2;7|0|77|s3;8|1|96|s4;9|2|92|s0;10|3|88|s4;11|NULL|14|s2;12|5|85|s1;13|6|81|s2;14|0|77|s3;15|1|96|s4;16|2|92|s0;17|3|88|s4;18|4|48|s0;19|5|85|s1;20|6|81|s2;21|0|77|s3;22|NULL|14|s2;23|2|92|s0;24|3|88|s4;25|4|48|s0;26|5|85|s1;27|6|81|s2;28|0|77|s3;29|1|96|s4;30|2|92|s0`,
		`0|10|110|2|2|55.0000000000000000;0|20|110|2|2|55.0000000000000000;1|7|198|4|4|49.5000000000000000;1|17|198|4|4|49.5000000000000000;2|4|352|7|7|50.2857142857142857;2|14|352|7|7|50.2857142857142857;2|24|352|7|7|50.2857142857142857;3|1|473|10|10|47.3000000000000000;3|11|473|10|10|47.3000000000000000;3|21|473|10|10|47.3000000000000000;4|8|569|12|11|51.7272727272727273;4|18|569|12|11|51.7272727272727273;5|5|734|15|14|52.4285714285714286;5|15|734|15|14|52.4285714285714286;5|25|734|15|14|52.4285714285714286;6|2|866|18|17|50.9411764705882353;6|12|866|18|17|50.9411764705882353;6|22|866|18|17|50.9411764705882353;7|9|869|20|18|48.2777777777777778;7|19|869|20|18|48.2777777777777778;8|6|983|22|20|49.1500000000000000;8|16|983|22|20|49.1500000000000000;9|3|1126|25|23|48.9565217391304348;9|13|1126|25|23|48.9565217391304348;9|23|1126|25|23|48.9565217391304348`,
		`1|1|261|29|29;2|2|227|30|30;3|3|198|24|24;4|4|73|25|25;5|5|194|26|26;6|6|143|27|27;0|7|190|28|28;1|8|261|29|29;2|9|227|30|30;3|10|198|24|24;NULL|11|21|22|22;5|12|194|26|26;6|13|143|27|27;0|14|190|28|28;1|15|261|29|29;2|16|227|30|30;3|17|198|24|24;4|18|73|25|25;5|19|194|26|26;6|20|143|27|27;0|21|190|28|28;NULL|22|21|22|22;2|23|227|30|30;3|24|198|24|24;4|25|73|25|25;5|26|194|26|26;6|27|143|27|27;0|28|190|28|28;1|29|261|29|29;2|30|227|30|30`,
		`1|s1|0.5|t|f|t;2|s1|1|t|f|t;3|s1|1.5|t|f|f;4|s1|2|t|f|f;5|s0|2.5|t|f|f;6|s0|3|t|f|f;7|s0|3.5|t|f|f;8|s0|3.5|t|t|f;9|s0|3.5|t|t|f;10|s0|3.5|t|t|f;11|s0|3.5|f|t|f;12|s0|3.5|f|t|f;13|s0|3.5|f|t|f;14|s0|3.5|f|t|f;15|s0|3.5|f|t|f;16|s0|3.5|f|t|f;17|s0|3.5|f|t|f;18|s0|3.5|f|t|f;19|s0|3.5|f|t|f;20|s0|3.5|f|t|f`,
		`1|1|4.08|1.3600000000000000|1.3333333333333333|0.5;2|2|4.59|1.5300000000000000|0.5|1;3|3|5.10|1.7000000000000000|1|1.5;4|4|3.74|1.8700000000000000|1.5|2;5|5|6.12|2.0400000000000000|2|2.5;6|6|6.63|2.2100000000000000|2.5|3;7|0|3.57|1.7850000000000000|3.25|3.5;8|1|4.08|1.3600000000000000|1.3333333333333333|0.5;9|2|4.59|1.5300000000000000|0.5|1.5;10|3|5.10|1.7000000000000000|1|2.5;11|NULL|1.87|1.87000000000000000000|1.5|1.5;12|5|6.12|2.0400000000000000|2|4.5;13|6|6.63|2.2100000000000000|2.5|5.5;14|0|3.57|1.7850000000000000|3.25|6.5;15|1|4.08|1.3600000000000000|1.3333333333333333|4;16|2|4.59|1.5300000000000000|0.5|1.5;17|3|5.10|1.7000000000000000|1|3;18|4|3.74|1.8700000000000000|1.5|3;19|5|6.12|2.0400000000000000|2|6;20|6|6.63|2.2100000000000000|2.5|7.5`,
		`NULL|272|3000|8|12001;0|390|3000|6|16987;1|390|3000|1|17193;2|390|3000|2|17187;3|390|3000|5|17062;4|390|3000|7|16882;5|389|3000|4|17143;6|389|3000|3|17182`,
		`0|13.00|16987;1|13.00|34180;2|13.00|51367;3|13.00|68429;4|13.00|85311;5|12.97|102454;6|12.97|119636;NULL|9.07|131637`,
		`1|4|170|11;2|4|170|11;3|4|170|11;4|4|170|11`,
		`1|1|37|4;2|2|84|5;3|4|198|4;4|1|48|3;5|1|85|4;6|3|62|4;7|1|59|4;8|2|133|4;9|3|84|5;10|1|70|4;11|1|7|2;12|2|129|4;13|4|143|4;14|2|77|4;15|3|188|4;16|4|176|5;17|2|99|4;18|2|48|3;19|3|132|4;20|1|40|4;21|3|154|4;22|2|21|2;23|5|227|5;24|3|187|4;25|3|73|3;26|4|194|4;27|2|40|4;28|4|190|4;29|4|261|4;30|1|10|5`,
		`0|11970|10|1|300;1|14304|1|1|300;2|14126|2|1|300;3|13859|3|1|300;4|13526|4|1|300;5|13315|5|1|300;6|13048|6|1|300;7|12748|7|1|300;8|12504|8|1|300;9|12237|9|1|300`,
		`0|99;1|99;2|99;3|99`,
		`five|5|5|5;five|12|4|5;five|19|3|5;five|26|2|5;five|40|1|5;one|1|5|5;one|8|4|5;one|15|3|5;one|29|2|5;one|36|1|5;three|3|6|6;three|10|5|6;three|17|4|6;three|24|3|6;three|31|2|6;three|38|1|6;two|2|6|6;two|9|5|6;two|16|4|6;two|23|3|6;two|30|2|6;two|37|1|6;zero|7|5|5;zero|14|4|5;zero|21|3|5;zero|28|2|5;zero|35|1|5`,
		`8|96;35|95;16|92;24|88;5|85;32|84;13|81;40|80;21|77;2|74`,
		`9|NULL;26|176;25|165;24|154;23|143`,
		`11|NULL|1;22|NULL|2;7|0|1;14|0|2;1|1|1;8|1|2;2|2|1;9|2|2;3|3|1;10|3|2;4|4|1;18|4|2;5|5|1;12|5|2;6|6|1;13|6|2`,
		`390|131637|131637|390`,
		`8|4316`,
		``,
		`0|0`,
		`NULL|9|1|NULL;NULL|18|1|NULL;NULL|27|1|NULL;3|19|4|NULL;7|11|5|3;10|30|6|7;11|3|7|10;14|22|8|11;18|14|9|14;22|6|10|18;25|25|11|22;29|17|12|25;36|28|13|29;37|1|14|36;40|20|15|37;44|12|16|40;48|4|17|44;51|23|18|48;55|15|19|51;59|7|20|55;62|26|21|59;70|10|22|62;73|29|23|70;74|2|24|73;77|21|25|74;81|13|26|77;85|5|27|81;88|24|28|85;92|16|29|88;96|8|30|92`,
		`1|0.5|0.34;2|3|0.51;3|6|0.68;4|9|0.85;5|2|0`,
		`1|1|10|6;2|2|20|5;3|3|30|4;4|4|40|3;5|5|50|2;6|6|60|1`,
		`NULL|1822475|272|12001;0|3706755|390|16987;1|3712568|390|17193;2|3724539|390|17187;3|3746230|390|17062;4|3636602|390|16882;5|3725464|389|17143;6|3736869|389|17182`,
		`s0|600|25285|s0;s1|600|51648|s0;s2|600|79000|s0;s3|600|104763|s0;s4|600|131637|s0`,
		`NULL|30;NULL|627;NULL|1727;NULL|2827;0|427;0|1127;0|2527;1|127;1|827;1|1527;1|2227;1|2927;2|527;2|1227;2|1927;2|2627;3|227;3|1627;3|2327;4|1327;4|2027;5|327;5|1027;5|2427;6|727;6|1427;6|2127`,
		`0|1200|1200|43879.000000000000;1|900|1800|43879.000000000000;2|900|1800|43879.000000000000`,
		`1|1|NULL|NULL;2|2|1|NULL;3|3|2|1;4|4|3|2`,
		`1|4|2|2;2|3|2|2;3|2|3|3;4|1|3|3;5|5|3|3;6|4|4|4;7|3|4|4;8|2|1|1;9|1|1|1;10|5|1|1;11|4|3|3;12|3|3|3;13|2|4|4;14|1|4|4;15|5|4|4;16|4|1|1;17|3|1|1;18|2|2|2;19|1|2|2;20|5|2|2`,
		`819|1227798`,
		`1|1;2|1;3|1;4|0;5|1;6|0;0|1;1|1;2|1;3|1;NULL|0;5|1`,
		`1560`,
		`NULL|none|1;5|five|2;3|three|3;2|two|4;1|one|5;0|zero|6`,
		`1|6|2|4|8;2|20|4|6|8;3|16|4|8|8;4|12|2|2|8;5|6|2|4|8;6|20|4|6|8;7|16|4|8|8;8|12|2|2|8`,
		`1|1;2|2;3|3`,
		`b|2|NULL;a|NULL|0;a|NULL|1;a|NULL|2;a|NULL|3;a|NULL|5`,
		`0|1;1|2;2|3;3|4;4|5;5|6;6|7;NULL|8`,
	}
	checkAcrossSettings(t, conn, settingsGrid([]int{1, 3, 1023, 65536}, []int{0, 3}), queries, want)

	// EXPLAIN names the operator with its keys; a filter on a column
	// beside the window stays above it.
	got := explainText(t, conn, queries[19])
	for _, s := range []string{"WindowAgg", "Partition Key: g", "Filter: (g = 3)"} {
		if !strings.Contains(got, s) {
			t.Errorf("EXPLAIN %s:\n%s\nlacks %q", queries[19], got, s)
		}
	}
	if strings.Index(got, "Filter: (g = 3)") > strings.Index(got, "WindowAgg") {
		t.Errorf("EXPLAIN %s:\n%s\nfilter pushed below the window", queries[19], got)
	}
	got = explainText(t, conn, queries[12])
	if !strings.Contains(got, "Order Key: k, id") || strings.Count(got, "WindowAgg") != 3 {
		t.Errorf("EXPLAIN %s:\n%s\nlacks three WindowAgg nodes with their keys", queries[12], got)
	}
}

// TestWindowResultTypes checks the column types window functions return,
// as PostgreSQL 15 describes them: bigint for the ranking functions, the
// argument's type without its modifier for lag, lead and first_value (the
// common type with lag's default), the plain aggregates' types otherwise;
// and a parameter as lag's offset.
func TestWindowResultTypes(t *testing.T) {
	conn := startWindowTables(t)
	q := `SELECT row_number() OVER () rn, rank() OVER () rk, dense_rank() OVER () dr, lag(n) OVER () lg, lead(s, 1, 'x') OVER () ld, first_value(f) OVER () fv, first_value(n) OVER () fn, sum(k) OVER () sk, sum(n) OVER () sn, avg(k) OVER () ak, count(v) OVER () cv, min(s::varchar(4)) OVER () mn, lag(k, 1, 0.5) OVER () lk, bool_and(v>1) OVER () ba, max(n) OVER () mx FROM wt LIMIT 1`
	// PostgreSQL 15, CREATE TABLE AS of q: atttypid and atttypmod.
	want := "20,20,20,1700,25,701,1700,20,1700,1700,20,25,1700,16,1700"
	res := conn.PgConn().ExecParams(ctx(t), q, nil, nil, nil, nil)
	var types []string
	for _, f := range res.FieldDescriptions() {
		s := fmt.Sprint(f.DataTypeOID)
		if f.TypeModifier != -1 {
			s += fmt.Sprintf("(%d)", f.TypeModifier)
		}
		types = append(types, s)
	}
	if _, err := res.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(types, ","); got != want {
		t.Errorf("types of %s:\ngot  %s\nwant %s", q, got, want)
	}

	// lag's offset as a parameter of a prepared statement (PostgreSQL 15:
	// 1|-1;2|-2;3|1;4|2).
	rows, err := conn.Query(ctx(t), `SELECT id, lag(id, $1, -id) OVER (ORDER BY id) FROM wt WHERE id <= 4 ORDER BY id`, 2)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, lag int32
		if err := rows.Scan(&id, &lag); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d|%d", id, lag))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(got, ";"); g != "1|-1;2|-2;3|1;4|2" {
		t.Errorf("lag(id, $1, -id) with $1 = 2: got %s", g)
	}
}

// TestWindowErrors covers what is rejected: window functions where
// PostgreSQL allows none, nested ones, window functions without OVER and
// OVER on other functions, named windows PostgreSQL refuses, DISTINCT and
// ORDER BY in window aggregates and FILTER on a non-aggregate window
// function (0A000 in PostgreSQL 15 too). Every statement fails in
// PostgreSQL 15 with the SQLSTATE and message given. (Frames and the
// other window functions are covered by sqltests/testdata/window_frames.slt.)
func TestWindowErrors(t *testing.T) {
	conn := startWindowTables(t)
	for _, tc := range []struct{ sql, code, msg string }{
		{`SELECT id FROM wt WHERE row_number() OVER () > 1`, "42P20", `window functions are not allowed in WHERE`},
		{`SELECT g FROM wt GROUP BY g HAVING rank() OVER () > 1`, "42P20", `window functions are not allowed in HAVING`},
		{`SELECT count(*) FROM wt GROUP BY row_number() OVER ()`, "42P20", `window functions are not allowed in GROUP BY`},
		{`SELECT row_number() OVER () FROM wt GROUP BY 1`, "42P20", `window functions are not allowed in GROUP BY`},
		{`SELECT sum(row_number() OVER ()) FROM wt`, "42803", `aggregate function calls cannot contain window function call`},
		{`SELECT lag(row_number() OVER ()) OVER () FROM wt`, "42P20", `window function calls cannot be nested`},
		{`SELECT sum(v) OVER (ORDER BY rank() OVER ()) FROM wt`, "42P20", `window functions are not allowed in window definitions`},
		{`SELECT row_number() FROM wt`, "42809", `window function row_number requires an OVER clause`},
		{`SELECT lower(s) OVER () FROM wt`, "42809", `OVER specified, but lower is not a window function nor an ag`},
		{`SELECT nosuch(s) OVER () FROM wt`, "42883", `function nosuch(text) does not exist`},
		{`SELECT row_number() FILTER (WHERE v > 1) OVER () FROM wt`, "0A000", `FILTER is not implemented for non-aggregate window functions`},
		{`SELECT count(DISTINCT v) OVER () FROM wt`, "0A000", `DISTINCT is not implemented for window functions`},
		{`SELECT sum(v ORDER BY id) OVER () FROM wt`, "0A000", `aggregate ORDER BY is not implemented for window functions`},
		{`SELECT sum(v) OVER w FROM wt`, "42704", `window "w" does not exist`},
		{`SELECT sum(v) OVER (w ORDER BY id) FROM wt WINDOW w AS (ORDER BY k)`, "42P20", `cannot override ORDER BY clause of window "w"`},
		{`SELECT sum(v) OVER (w PARTITION BY id) FROM wt WINDOW w AS (ORDER BY k)`, "42P20", `cannot override PARTITION BY clause of window "w"`},
		{`SELECT 1 FROM wt WINDOW w AS (), w AS (ORDER BY id)`, "42P20", `window "w" is already defined`},
		{`SELECT sum(v) OVER (w) FROM wt WINDOW w AS (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`, "42P20", `cannot copy window "w" because it has a frame clause`},
		{`SELECT sum(v) OVER (GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM wt`, "42P20", `GROUPS mode requires an ORDER BY clause`},
		{`SELECT sum(v) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wt`, "42P20", `RANGE with offset PRECEDING/FOLLOWING requires exactly one O`},
		{`SELECT wt.id FROM wt JOIN wd ON row_number() OVER () = 1`, "42P20", `window functions are not allowed in JOIN conditions`},
		{`UPDATE wt SET v = row_number() OVER ()`, "42P20", `window functions are not allowed in UPDATE`},
		{`SELECT row_number(1) OVER () FROM wt`, "42883", `function row_number(integer) does not exist`},
		{`INSERT INTO wd VALUES (row_number() OVER (), 'x')`, "42P20", `window functions are not allowed in VALUES`},
		{`SELECT id, g, count(*) OVER (PARTITION BY g) FROM wt GROUP BY id`, "42803", `column "wt.g" must appear in the GROUP BY clause or be used `},
		{`SELECT id FROM wt LIMIT row_number() OVER ()`, "42P20", `window functions are not allowed in LIMIT`},
		{`DELETE FROM wt WHERE rank() OVER () = 1`, "42P20", `window functions are not allowed in WHERE`},
		{`SELECT sum(v) OVER (PARTITION BY rank() OVER ()) FROM wt`, "42P20", `window functions are not allowed in window definitions`},
		{`SELECT id, row_number() OVER w FROM wt WINDOW w AS (ORDER BY nosuch)`, "42703", `column "nosuch" does not exist`},
		{`SELECT lag('a') OVER () FROM wd`, "42804", `could not determine polymorphic type because input has type unknown`},
		{`SELECT first_value(NULL) OVER () FROM wd`, "42804", `could not determine polymorphic type because input has type unknown`},
		{`SELECT lag(g, 1.5) OVER () FROM wd`, "42883", `function lag(integer, numeric) does not exist`},
	} {
		_, err := conn.Exec(ctx(t), tc.sql)
		if sqlstate(err) != tc.code || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want %s %s", tc.sql, err, tc.code, tc.msg)
		}
	}
	// A failed statement leaves the tables as they were.
	if got := rowsText(t, conn, `SELECT count(*), sum(v) FROM wt`); got[0][0] != "3000" {
		t.Errorf("wt changed: %v", got)
	}
}

// startWindowTables starts a server with the tables the window tests
// query: wt (3000 rows; g NULL every 11th row, v NULL every 9th, k with
// ten values, so partitions and peer groups are large and span batches)
// and wd (a lookup on g with a NULL key), and the view wv of a window
// over an aggregate, and returns a connection.
func startWindowTables(t *testing.T) *pgx.Conn {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE wt (id int, g int, k int, v int, s text, f float8, n numeric(10,2))`,
		`INSERT INTO wt SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE i % 7 END, (i * 13) % 10, CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 37) % 100 END, 's' || (i % 5), (i % 8) * 0.5, ((i * 17) % 1000) / 100.0 FROM generate_series(1, 3000) i`,
		`CREATE TABLE wd (g int, label text)`,
		`INSERT INTO wd VALUES (0, 'zero'), (1, 'one'), (2, 'two'), (3, 'three'), (5, 'five'), (NULL, 'none')`,
		`CREATE VIEW wv AS SELECT g, rank() OVER (ORDER BY count(*) DESC, g) r FROM wt GROUP BY g`,
	)
	return conn
}
