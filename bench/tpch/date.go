package tpch

import "fmt"

// parseDays converts an ISO date "YYYY-MM-DD" to days since 1970-01-01. dbgen
// formats every date this way, so anything else is a generator defect.
func parseDays(s string) (int32, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("tpch: malformed date %q", s)
	}
	var parts [3]int
	for i, span := range [3][2]int{{0, 4}, {5, 7}, {8, 10}} {
		for _, c := range s[span[0]:span[1]] {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("tpch: malformed date %q", s)
			}
			parts[i] = parts[i]*10 + int(c-'0')
		}
	}
	return daysFromCivil(parts[0], parts[1], parts[2]), nil
}

// daysFromCivil is the proleptic Gregorian day number relative to 1970-01-01
// (Howard Hinnant's days_from_civil), exact for every year dbgen produces.
func daysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}
