package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// A store whose tables are on an object store keeps its SQLite databases
// in a local directory, which the flock of LOCK keeps to one server. Two
// servers with different directories on one bucket would both write its
// tables, so the bucket has a lock of its own: the object LOCK, created
// if absent at Open and deleted at Close, naming the host and directory
// of the server that holds it. A server finding it names another host or
// directory does not open; one finding its own host and directory holds
// that directory's flock, so the server that left the object is gone,
// and takes it over. A server that is gone for good leaves the object
// behind: deleting it lets another directory take the bucket over. (The
// unflushed commits are in the old directory's SQLite databases: moving
// the bucket to a new directory loses them.)

// bucketLockKey is the bucket lock's key; no schema prefix is uppercase.
const bucketLockKey = "LOCK"

// bucketLock is the bucket lock's content.
type bucketLock struct {
	Host    string    `json:"host"`
	Dir     string    `json:"dir"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
}

// lockBucket takes the bucket lock for the store's directory, unless the
// bucket is that directory.
func (s *Store) lockBucket() error {
	if s.objects.local(s.dir) {
		return nil
	}
	host, _ := os.Hostname()
	dir, err := filepath.Abs(s.dir)
	if err != nil {
		return err
	}
	mine := bucketLock{Host: host, Dir: dir, PID: os.Getpid(), Started: time.Now().UTC()}
	data, err := json.Marshal(mine)
	if err != nil {
		return err
	}
	err = s.objects.putIfAbsent(bucketLockKey, data)
	if errors.Is(err, errObjectExists) {
		var held bucketLock
		old, rerr := s.objects.read(bucketLockKey)
		if rerr != nil {
			return fmt.Errorf("cannot read the lock of the tables' bucket: %w", rerr)
		}
		if jerr := json.Unmarshal(old, &held); jerr != nil || held.Host != mine.Host || held.Dir != mine.Dir {
			return fmt.Errorf("the tables' bucket is in use by the pqdb server on host %q with directory %q (pid %d, started %s); if that server is gone for good, delete the bucket's object %s",
				held.Host, held.Dir, held.PID, held.Started.Format(time.RFC3339), bucketLockKey)
		}
		err = s.objects.put(bucketLockKey, data)
	}
	if err != nil {
		return fmt.Errorf("cannot lock the tables' bucket: %w", err)
	}
	s.bucketLocked = true
	return nil
}

// unlockBucket gives the bucket lock up.
func (s *Store) unlockBucket() {
	if s.bucketLocked {
		s.objects.remove(bucketLockKey)
		s.bucketLocked = false
	}
}
