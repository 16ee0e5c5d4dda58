package engine

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// What every statement derives from the settings is derived again only
// when settingsVersion moved, so every change of Session.settings must
// go through setSetting or replaceSettings: a write elsewhere would leave
// a statement running with stale settings. This test reads the package's
// source for such writes.
func TestSettingsChangeOnlyThroughSetSetting(t *testing.T) {
	write := regexp.MustCompile(`\.settings(\[[^\]]*\])?\s*=[^=]|(delete|clear)\(\s*\w+\.settings\b|maps\.Copy\(\s*\w+\.settings\b`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if !write.MatchString(code) || strings.Contains(code, "r.settings") {
				continue
			}
			if f == "settings.go" && (strings.Contains(code, "s.settings[name] = v") || strings.Contains(code, "s.settings = m")) {
				continue // setSetting and replaceSettings themselves
			}
			t.Errorf("%s:%d changes settings without setSetting: %s", f, i+1, strings.TrimSpace(line))
		}
	}
}

// A change of a setting reaches what statements derive from it.
func TestSettingsVersionReachesDerivedState(t *testing.T) {
	s := testSession(t)
	if got := simple(t, s, `SELECT 1`); got != "1" {
		t.Fatal(got)
	}
	const defaultWorkMem = 64 << 20
	if s.statementTimeout() != 0 || s.execSettings().workMem != defaultWorkMem || s.location().String() != "UTC" {
		t.Fatalf("defaults: %v %d %v", s.statementTimeout(), s.execSettings().workMem, s.location())
	}
	simple(t, s, `SET statement_timeout = '2s'; SET work_mem = '32MB'; SET TimeZone = 'Europe/Paris'; SET client_min_messages = warning`)
	if s.statementTimeout().Seconds() != 2 || s.execSettings().workMem != 32<<20 || s.location().String() != "Europe/Paris" ||
		messageLevels[s.minMessageLevel()] != "warning" {
		t.Fatalf("after SET: %v %d %v %d", s.statementTimeout(), s.execSettings().workMem, s.location(), s.minMessageLevel())
	}
	if !s.ParameterStatusChanged() || s.ParameterStatus()["TimeZone"] != "Europe/Paris" || s.ParameterStatusChanged() {
		t.Fatal("the changed TimeZone was not reported once")
	}
	// A block's SET is undone by ROLLBACK, and SET LOCAL by COMMIT.
	simple(t, s, `BEGIN; SET work_mem = '1MB'; SET LOCAL statement_timeout = '5s'`)
	if s.execSettings().workMem != 1<<20 || s.statementTimeout().Seconds() != 5 {
		t.Fatal("inside the block")
	}
	simple(t, s, `ROLLBACK`)
	if s.execSettings().workMem != 32<<20 || s.statementTimeout().Seconds() != 2 {
		t.Fatalf("after ROLLBACK: %d %v", s.execSettings().workMem, s.statementTimeout())
	}
	// set_config from inside a query, and RESET.
	simple(t, s, `SELECT set_config('work_mem', '2MB', false)`)
	if s.execSettings().workMem != 2<<20 {
		t.Fatal("after set_config")
	}
	simple(t, s, `RESET ALL`)
	if s.execSettings().workMem != defaultWorkMem || s.statementTimeout() != 0 || s.location().String() != "UTC" ||
		messageLevels[s.minMessageLevel()] != "notice" {
		t.Fatalf("after RESET ALL: %d %v %v", s.execSettings().workMem, s.statementTimeout(), s.location())
	}
}
