// Package deps pins the modules pqdb is built on until code imports them.
package deps
import (
 _ "github.com/pganalyze/pg_query_go/v6"
 _ "github.com/apache/arrow-go/v18/arrow/array"
 _ "github.com/apache/arrow-go/v18/arrow/compute"
 _ "modernc.org/sqlite"
 _ "github.com/parquet-go/parquet-go"
 _ "github.com/jackc/pgx/v5"
 _ "github.com/jackc/pgx/v5/pgproto3"
 _ "gocloud.dev/blob/fileblob"
 _ "gocloud.dev/blob/memblob"
)
