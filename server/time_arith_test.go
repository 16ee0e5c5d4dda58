package server

import "testing"

// TestTimeArithmetic checks time's operators (time ± interval, interval
// + time, time - time, date + time, time + date) and the implicit cast of
// time to interval that resolves the others (date - time, timestamp ±
// time, interval - time, time * 2), against answers recorded from
// PostgreSQL 15.
func TestTimeArithmetic(t *testing.T) {
	runScript(t, []scriptCase{
		{`SET timezone = 'UTC'`, ""},
		{`select time '10:00' + '1 hour'`, "11:00:00"},
		{`select time '23:00' + interval '2 days 3 hours 5 min'`, "02:05:00"},
		{`select time '01:00' - interval '2 hours'`, "23:00:00"},
		{`select interval '1 hour' + time '10:00'`, "11:00:00"},
		{`select time '10:00' - time '12:30'`, "-02:30:00"},
		{`select date '2001-01-01' + time '10:00'`, "2001-01-01 10:00:00"},
		{`select time '10:00' + date '2001-01-01'`, "2001-01-01 10:00:00"},
		{`select 'infinity'::date + time '10:00'`, "infinity"},
		{`select '-infinity'::date + time '10:00'`, "-infinity"},
		{`select date '2001-01-01' - time '10:00'`, "2000-12-31 14:00:00"},
		{`select time '10:00:00.5' + interval '-1 microsecond'`, "10:00:00.499999"},
		{`select timestamp '2001-01-01' + time '10:00'`, "2001-01-01 10:00:00"},
		{`select timestamp '2001-01-01' - time '10:00'`, "2000-12-31 14:00:00"},
		{`select interval '1 day' + time '10:00'`, "10:00:00"},
		{`select interval '1 day' - time '10:00'`, "1 day -10:00:00"},
		{`select time '10:00' * 2`, "20:00:00"},
		{`select '10:00' + time '01:00'`, "11:00:00"},
		{`select time '24:00' + interval '1 hour'`, "01:00:00"},
		{`select time '24:00' + interval '0'`, "00:00:00"},
		{`select time '00:00' - interval '100 hours 1 microsecond'`, "19:59:59.999999"},
		{`select time '12:00' + interval '-1 month -3 days 25 hours'`, "13:00:00"},
		{`select time '10:00' + null::interval`, ""},
		{`select null::time - time '10:00'`, ""},
		{`select time '13:45:10.123456' - time '13:45:10.123457'`, "-00:00:00.000001"},
		{`select date '2001-12-31' + time '23:59:59.999999'`, "2001-12-31 23:59:59.999999"},
		{`select time '10:00' - '1 hour'`, "ERROR:22007"},
		{`select time '10:00' - date '2001-01-01'`, "ERROR:42883"},
	})
}
