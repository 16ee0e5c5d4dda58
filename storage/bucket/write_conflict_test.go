package bucket

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestCreateIfAbsentRetriesConflicts: an S3 server answering a
// conditional write with 409 ConditionalRequestConflict, as AWS does
// while another conditional write of the key is in progress, gets the
// write again; its 412 is the precondition failure, not retried.
func TestCreateIfAbsentRetriesConflicts(t *testing.T) {
	var puts, conflicts, status atomic.Int32
	conflicts.Store(2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut {
			http.Error(w, "unexpected "+r.Method, http.StatusMethodNotAllowed)
			return
		}
		puts.Add(1)
		if r.Header.Get("If-None-Match") != "*" {
			t.Errorf("a create-if-absent without If-None-Match: *")
		}
		switch {
		case conflicts.Add(-1) >= 0:
			s3Error(w, http.StatusConflict, "ConditionalRequestConflict")
		case status.Load() == http.StatusPreconditionFailed:
			s3Error(w, http.StatusPreconditionFailed, "PreconditionFailed")
		default:
			w.Header().Set("ETag", `"1"`)
		}
	}))
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	b, err := Open(context.Background(), "s3://pqdb?endpoint="+srv.URL+"&region=us-east-1&use_path_style=true")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	if err := CreateIfAbsent(context.Background(), b, "k", []byte("v")); err != nil {
		t.Fatalf("after two conflicts: %v", err)
	}
	if got := puts.Load(); got != 3 {
		t.Fatalf("%d PUTs for two conflicts, want 3", got)
	}

	puts.Store(0)
	status.Store(http.StatusPreconditionFailed)
	if err := CreateIfAbsent(context.Background(), b, "k", []byte("v")); !IsPrecondition(err) {
		t.Fatalf("a 412: %v", err)
	}
	if got := puts.Load(); got != 1 {
		t.Fatalf("%d PUTs for a 412, want 1", got)
	}

	puts.Store(0)
	conflicts.Store(100)
	if err := CreateIfAbsent(context.Background(), b, "k", []byte("v")); err == nil || IsPrecondition(err) {
		t.Fatalf("conflicts without end: %v", err)
	}
	if got := puts.Load(); got != conflictAttempts {
		t.Fatalf("%d PUTs for conflicts without end, want %d", got, conflictAttempts)
	}
}

// s3Error answers with S3's XML error of code.
func s3Error(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>test</Message></Error>`))
}
