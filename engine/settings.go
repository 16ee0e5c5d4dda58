package engine

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// setSetting gives setting name the value v in the session. Every change
// of Session.settings goes through it or replaceSettings (a test holds
// the package to that), so that what is derived from the settings and
// read by every statement (execSettings, the reported parameters, the
// TimeZone's location, the statement timeout, a kept plan's check) is
// derived again only after a change: each compares settingsVersion with
// the version it was derived at, not the settings themselves.
func (s *Session) setSetting(name, v string) {
	s.settings[name] = v
	s.settingsVersion++
}

// replaceSettings makes m the session's settings (ROLLBACK TO a
// savepoint).
func (s *Session) replaceSettings(m map[string]string) {
	s.settings = m
	s.settingsVersion++
}

// minMessageLevel is client_min_messages as an index in messageLevels
// (notices.go), read once per change of the settings.
func (s *Session) minMessageLevel() int {
	if c := &s.minMessages; !c.read || c.version != s.settingsVersion {
		c.level = slices.Index(messageLevels, s.settings["client_min_messages"])
		c.read, c.version = true, s.settingsVersion
	}
	return s.minMessages.level
}

// setting is a run-time parameter a session can SET and SHOW.
type setting struct {
	def string
	// reported settings are sent to the client in ParameterStatus.
	reported bool
	// check validates (and may normalise) a new value.
	check func(string) (string, error)
}

// ServerVersion is the PostgreSQL version pqdb speaks for.
const ServerVersion = "15.8"

var settings = map[string]setting{
	"server_version":                      {def: ServerVersion, reported: true, check: readOnly("server_version")},
	"server_encoding":                     {def: "UTF8", reported: true, check: readOnly("server_encoding")},
	"client_encoding":                     {def: "UTF8", reported: true, check: checkEncoding},
	"datestyle":                           {def: "ISO, MDY", reported: true, check: checkDateStyle},
	"intervalstyle":                       {def: "postgres", reported: true, check: oneOf("postgres")},
	"integer_datetimes":                   {def: "on", reported: true, check: readOnly("integer_datetimes")},
	"standard_conforming_strings":         {def: "on", reported: true, check: oneOf("on")},
	"timezone":                            {def: "UTC", reported: true, check: checkTimeZone},
	"application_name":                    {def: "", reported: true},
	"is_superuser":                        {def: "on", reported: true, check: readOnly("is_superuser")},
	"session_authorization":               {def: "", reported: true, check: readOnly("session_authorization")},
	"extra_float_digits":                  {def: "1"},
	"client_min_messages":                 {def: "notice", check: checkMessageLevel},
	"search_path":                         {def: `"$user", public`},
	"statement_timeout":                   {def: "0", check: checkDuration},
	"lock_timeout":                        {def: "0", check: checkDuration},
	"idle_in_transaction_session_timeout": {def: "0", check: checkDuration},
	"idle_session_timeout":                {def: "0", check: checkDuration},
	"client_connection_check_interval":    {def: "0", check: checkDuration},
	"log_statement":                       {def: "none", check: checkEnum("log_statement", logStatementValues...)},
	"log_min_duration_statement":          {def: "-1", check: checkLogMinDuration},
	"tcp_keepalives_idle":                 {def: "0", check: checkSeconds},
	"tcp_keepalives_interval":             {def: "0", check: checkSeconds},
	"tcp_keepalives_count":                {def: "0", check: checkKeepAliveCount},
	"default_transaction_isolation":       {def: "read committed", check: isolationLevel},
	"transaction_isolation":               {def: "read committed", check: isolationLevel},
	"default_transaction_read_only":       {def: "off", check: checkOnOff("default_transaction_read_only")},
	"transaction_read_only":               {def: "off", check: checkOnOff("transaction_read_only")},
	"max_identifier_length":               {def: "63", check: readOnly("max_identifier_length")},
	"max_index_keys":                      {def: "32", check: readOnly("max_index_keys")},
	"max_function_args":                   {def: "100", check: readOnly("max_function_args")},
	// How plans run, never what they compute (exec_settings.go).
	"pqdb.batch_rows":                 {def: strconv.Itoa(exec.DefaultBatchRows), check: checkInt("pqdb.batch_rows", 1, maxBatchRows)},
	"max_parallel_workers_per_gather": {def: strconv.Itoa(planner.DefaultLowerOptions().ParallelWorkers), check: checkInt("max_parallel_workers_per_gather", 0, 1024)},
	// Time travel (time_travel.go).
	"pqdb.as_of":             {def: "", check: checkAsOf},
	"enable_indexscan":       {def: "on", check: checkOnOff("enable_indexscan")},
	"pqdb.parallel_min_rows": {def: strconv.FormatInt(planner.DefaultLowerOptions().ParallelMinRows, 10), check: checkInt("pqdb.parallel_min_rows", 0, math.MaxInt32)},
	// Progress notices of long COPY and VACUUM (progress_notice.go).
	progressIntervalSetting: {def: "10s", check: checkDuration},
	// Memory and temporary files (memory_settings.go).
	"work_mem":            {def: DefaultWorkMem, check: checkMemory("work_mem", 64, math.MaxInt32)},
	"temp_file_limit":     {def: "-1", check: checkMemory("temp_file_limit", -1, math.MaxInt32)},
	"hash_mem_multiplier": {def: "2", check: checkReal("hash_mem_multiplier", 1, 1000)},
}

// displayName is how SHOW titles a setting (Postgres keeps the canonical
// mixed case of a few).
var displayName = map[string]string{"datestyle": "DateStyle", "intervalstyle": "IntervalStyle", "timezone": "TimeZone"}

func readOnly(name string) func(string) (string, error) {
	return func(string) (string, error) {
		return "", pgerr.New(pgerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", name)
	}
}

func oneOf(values ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		for _, ok := range values {
			if strings.EqualFold(v, ok) {
				return ok, nil
			}
		}
		return "", pgerr.Unsupported("pqdb supports only %s for this setting, not \"%s\"", strings.Join(values, ", "), v)
	}
}

// checkEnum accepts one of values, in any case, as PostgreSQL reads an
// enum setting, and fails as it does otherwise.
func checkEnum(name string, values ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		for _, ok := range values {
			if strings.EqualFold(strings.TrimSpace(v), ok) {
				return ok, nil
			}
		}
		e := pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
		e.Hint = "Available values: " + strings.Join(values, ", ") + "."
		return "", e
	}
}

// checkInt accepts an integer setting within [lo, hi], as PostgreSQL
// reads one (surrounding spaces, a sign, decimal digits), and keeps it in
// canonical form.
func checkInt(name string, lo, hi int64) func(string) (string, error) {
	return func(v string) (string, error) {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, v)
		}
		if n < lo || n > hi {
			return "", pgerr.New(pgerr.InvalidParameterValue, "%d is outside the valid range for parameter \"%s\" (%d .. %d)", n, name, lo, hi)
		}
		return strconv.FormatInt(n, 10), nil
	}
}

func checkEncoding(v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(v, "-", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	}
	return "", pgerr.Unsupported("pqdb supports only the UTF8 client encoding, not \"%s\"", v)
}

func checkDateStyle(v string) (string, error) {
	u := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if u == "ISO" || u == "ISO,MDY" || u == "MDY,ISO" {
		return "ISO, MDY", nil
	}
	return "", pgerr.Unsupported("pqdb supports only DateStyle ISO, MDY, not \"%s\"", v)
}

func unknownSetting(name string) error {
	return pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", name)
}

// searchPath parses a search_path value ("$user", public) into schema
// names, with $user standing for the session's user.
func searchPath(value, user string) []string {
	var out []string
	for _, part := range strings.Split(value, ",") {
		name := strings.TrimSpace(part)
		if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
			name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
		} else {
			name = strings.ToLower(name)
		}
		if name == "$user" {
			name = user
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}

// parseDuration reads a time setting as Postgres does: a bare number is
// milliseconds; us, ms, s, min, h and d units are accepted.
func parseDuration(v string) (time.Duration, error) { return parseDurationIn(v, time.Millisecond) }

// parseDurationIn is parseDuration for a setting whose bare numbers are
// in unit bare (tcp_keepalives_idle's are seconds).
func parseDurationIn(v string, bare time.Duration) (time.Duration, error) {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || n < 0 {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid value for a time setting: \"%s\"", v)
	}
	units := map[string]time.Duration{"": bare, "us": time.Microsecond, "ms": time.Millisecond,
		"s": time.Second, "min": time.Minute, "h": time.Hour, "d": 24 * time.Hour}
	unit, ok := units[strings.TrimSpace(v[i:])]
	if !ok {
		e := pgerr.New(pgerr.InvalidParameterValue, "invalid value for a time setting: \"%s\"", v)
		e.Hint = `Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".`
		return 0, e
	}
	return time.Duration(n * float64(unit)), nil
}

// inBaseUnit is a setting's value as pg_settings shows it: a number in
// the unit PostgreSQL's pg_settings gives the setting (kB for memory,
// ms, s or min for time: statement_timeout = '5min' shows as 300000),
// others as they are.
func inBaseUnit(name, v string) string {
	var unit time.Duration
	switch pgcatalog.SettingUnit(name) {
	case "kB":
		if kb, err := parseMemory(v); err == nil {
			return strconv.FormatInt(kb, 10)
		}
		return v
	case "ms":
		unit = time.Millisecond
	case "s":
		unit = time.Second
	case "min":
		unit = time.Minute
	default:
		return v
	}
	d, err := parseDurationIn(v, unit)
	if err != nil {
		return v
	}
	return strconv.FormatInt(int64(math.Round(float64(d)/float64(unit))), 10)
}

// checkDuration validates a time setting and keeps it as given.
func checkDuration(v string) (string, error) {
	if _, err := parseDuration(v); err != nil {
		return "", err
	}
	return v, nil
}

// checkSeconds validates a time setting whose bare numbers are seconds.
func checkSeconds(v string) (string, error) {
	if _, err := parseDurationIn(v, time.Second); err != nil {
		return "", err
	}
	return v, nil
}

// checkTimeZone accepts a TimeZone as PostgreSQL's check_timezone does
// and keeps the zone's own spelling, which SHOW prints and ParameterStatus
// reports (america/new_york becomes America/New_York).
func checkTimeZone(v string) (string, error) {
	loc, err := loadZone(v)
	if err != nil {
		return "", err
	}
	return loc.String(), nil
}

// loadZone resolves a TimeZone setting: a number is hours EAST of
// Greenwich (SET TIME ZONE -7.5, which PostgreSQL names <-07:30>+07:30),
// and so is INTERVAL 'value' (SET TIME ZONE INTERVAL '+05:30' HOUR TO
// MINUTE); anything else names a zone of the time zone database or a
// POSIX zone, whose offset counts hours WEST ('UTC+3' is three hours
// behind UTC), as catalog.LoadTimeZone reads it.
func loadZone(v string) (*time.Location, error) {
	invalid := func() *pgerr.Error {
		return pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"TimeZone\": \"%s\"", v)
	}
	if len(v) >= 8 && strings.EqualFold(v[:8], "interval") {
		return intervalZone(v[8:], invalid)
	}
	if hours, err := strconv.ParseFloat(strings.TrimLeft(v, " \t\n\v\f\r"), 64); err == nil {
		var loc *time.Location
		if !math.IsInf(hours, 0) && !math.IsNaN(hours) && math.Abs(hours) < 168 {
			loc = catalog.OffsetZone(int64(hours * 3600))
		}
		if loc == nil {
			e := invalid()
			e.Detail = "UTC timezone offset is out of range."
			return nil, e
		}
		return loc, nil
	}
	loc, err := catalog.LoadTimeZone(v)
	if err != nil {
		return nil, err
	}
	if loc == nil {
		return nil, invalid()
	}
	return loc, nil
}

// intervalZone reads the rest of a TimeZone of the form INTERVAL 'value'
// as check_timezone does: the interval's time, without months or days, is
// the offset east.
func intervalZone(rest string, invalid func() *pgerr.Error) (*time.Location, error) {
	rest = strings.TrimLeft(rest, " \t\n\v\f\r")
	if len(rest) < 2 || rest[0] != '\'' || strings.IndexByte(rest[1:], '\'') != len(rest)-2 {
		return nil, invalid()
	}
	d, err := catalog.ParseText(catalog.TypeInterval, rest[1:len(rest)-1])
	if err != nil {
		return nil, err
	}
	iv := d.(arrow.MonthDayNanoInterval)
	if iv.Months != 0 || iv.Days != 0 {
		e := invalid()
		e.Detail = "Cannot specify days in time zone interval."
		if iv.Months != 0 {
			e.Detail = "Cannot specify months in time zone interval."
		}
		return nil, e
	}
	loc := catalog.OffsetZone(iv.Nanoseconds / 1000 / 1_000_000)
	if loc == nil {
		e := invalid()
		e.Detail = "UTC timezone offset is out of range."
		return nil, e
	}
	return loc, nil
}
