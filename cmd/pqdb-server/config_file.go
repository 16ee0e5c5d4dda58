package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pqdb/pqdb/engine"
)

// --config names a file of settings in the syntax of PostgreSQL's
// postgresql.conf: one "name = value" per line (the = may be left out),
// the value a word, a number with its unit, or a string in single quotes
// ('' or \' for a quote), "#" starting a comment; include 'file',
// include_if_exists 'file' and include_dir 'dir' (its *.conf files in
// name order) read other files, relative to the including one. The
// settings become every session's defaults (engine.FileSetting); the
// engine refuses a name or value it would refuse in SET, naming the file
// and line.

// maxIncludeDepth bounds nested includes, as PostgreSQL's
// CONF_FILE_MAX_DEPTH does, so that a file including itself fails.
const maxIncludeDepth = 10

// readConfigFile reads the settings of path and the files it includes.
func readConfigFile(path string) ([]engine.FileSetting, error) {
	return readConfig(path, 0, false)
}

func readConfig(path string, depth int, missingOK bool) ([]engine.FileSetting, error) {
	if depth > maxIncludeDepth {
		return nil, fmt.Errorf("%s: could not open configuration file: maximum nesting depth exceeded", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(abs)
	if err != nil {
		if missingOK && os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("could not open configuration file: %w", err)
	}
	defer f.Close()
	var out []engine.FileSetting
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		name, value, ok, err := configLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", abs, line, err)
		}
		if !ok {
			continue
		}
		var included []engine.FileSetting
		switch name {
		case "include", "include_if_exists":
			included, err = readConfig(besides(abs, value), depth+1, name == "include_if_exists")
		case "include_dir":
			included, err = readConfigDir(besides(abs, value), depth+1)
		default:
			out = append(out, engine.FileSetting{Name: name, Value: value, File: abs, Line: line})
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, included...)
	}
	return out, sc.Err()
}

// besides is path p named in file: relative paths are the file's
// directory's.
func besides(file, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(file), p)
}

// readConfigDir reads the *.conf files of dir in name order.
func readConfigDir(dir string, depth int) ([]engine.FileSetting, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.conf"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []engine.FileSetting
	for _, n := range names {
		fs, err := readConfig(n, depth, false)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

// configLine splits one line into its setting's name (lower-cased) and
// value; ok is false for a blank or comment line.
func configLine(line string) (name, value string, ok bool, err error) {
	s := strings.TrimSpace(line)
	if s == "" || s[0] == '#' {
		return "", "", false, nil
	}
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] == '.' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || i > 0 && s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 {
		return "", "", false, fmt.Errorf("syntax error near %q", s)
	}
	name, s = strings.ToLower(s[:i]), strings.TrimSpace(s[i:])
	if strings.HasPrefix(s, "=") {
		s = strings.TrimSpace(s[1:])
	}
	switch {
	case s == "" || s[0] == '#':
		return "", "", false, fmt.Errorf("syntax error: no value for %q", name)
	case s[0] == '\'':
		var b strings.Builder
		j := 1
		for ; j < len(s); j++ {
			c := s[j]
			if c == '\\' && j+1 < len(s) {
				j++
				b.WriteByte(s[j])
				continue
			}
			if c == '\'' {
				if j+1 < len(s) && s[j+1] == '\'' {
					b.WriteByte('\'')
					j++
					continue
				}
				break
			}
			b.WriteByte(c)
		}
		if j >= len(s) {
			return "", "", false, fmt.Errorf("syntax error: unterminated quoted value for %q", name)
		}
		value, s = b.String(), strings.TrimSpace(s[j+1:])
	default:
		end := strings.IndexAny(s, " \t#")
		if end < 0 {
			end = len(s)
		}
		value, s = s[:end], strings.TrimSpace(s[end:])
	}
	if s != "" && s[0] != '#' {
		return "", "", false, fmt.Errorf("syntax error near %q", s)
	}
	return name, value, true, nil
}
