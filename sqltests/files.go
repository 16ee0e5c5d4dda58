package sqltests

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// IsTestFile reports whether name is a sqllogictest script: .test (SQLite
// dialect), .slt or .slt.part (sqllogictest-rs dialect).
func IsTestFile(name string) bool {
	return strings.HasSuffix(name, ".test") || strings.HasSuffix(name, ".slt") || strings.HasSuffix(name, ".slt.part")
}

// TestFiles expands paths into script files: a file is taken as named, a
// directory contributes every script below it (see IsTestFile) in lexical
// order.
func TestFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && IsTestFile(d.Name()) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}
