package storage

import (
	"errors"
	"os"
	"syscall"

	"github.com/pqdb/pqdb/pgerr"
)

// FileError reports a failed operation on a server-side file (COPY to or
// from a file, read_parquet) as PostgreSQL does: message is the text
// before the system's reason ("could not open file \"/x\" for reading"),
// and the SQLSTATE follows the errno as errcode_for_file_access chooses
// it.
func FileError(message string, err error) *pgerr.Error {
	code := pgerr.IoError
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EPERM, syscall.EACCES, syscall.EROFS:
			code = pgerr.InsufficientPrivilege
		case syscall.ENOENT:
			code = pgerr.UndefinedFile
		case syscall.EEXIST:
			code = pgerr.DuplicateFile
		case syscall.ENOTDIR, syscall.EISDIR, syscall.ENOTEMPTY:
			code = pgerr.WrongObjectType
		case syscall.ENOSPC:
			code = pgerr.DiskFull
		}
	}
	return pgerr.New(code, "%s: %s", message, strerror(err))
}

// strerror is the system's text for err as strerror(3) prints it ("No
// such file or directory"), which Go spells in lower case.
func strerror(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	s := err.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
