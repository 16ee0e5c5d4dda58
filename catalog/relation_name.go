package catalog

import (
	"strings"

	"github.com/pqdb/pqdb/pgerr"
)

// SplitRelationName splits a relation name as regclass input reads it:
// dot-separated parts, unquoted ones folded to lower case, "quoted" ones
// kept as written.
func SplitRelationName(s string) ([]string, error) {
	var parts []string
	for s != "" {
		var part string
		if s[0] == '"' {
			end := 1
			for {
				i := strings.IndexByte(s[end:], '"')
				if i < 0 {
					return nil, pgerr.New(pgerr.InvalidName, "invalid name syntax")
				}
				end += i
				if end+1 < len(s) && s[end+1] == '"' {
					end += 2
					continue
				}
				break
			}
			part = strings.ReplaceAll(s[1:end], `""`, `"`)
			s = s[end+1:]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part = strings.ToLower(strings.TrimSpace(s[:i]))
			s = s[i:]
		}
		if part == "" {
			return nil, pgerr.New(pgerr.InvalidName, "invalid name syntax")
		}
		parts = append(parts, part)
		if s != "" {
			if s[0] != '.' {
				return nil, pgerr.New(pgerr.InvalidName, "invalid name syntax")
			}
			s = s[1:]
		}
	}
	if len(parts) == 0 || len(parts) > 2 {
		return nil, pgerr.New(pgerr.InvalidName, "invalid name syntax")
	}
	return parts, nil
}
