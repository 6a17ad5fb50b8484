package spool

import "encoding/binary"

// Bucket and key names of the database layout drawn in the package doc.
var (
	bucketRoot      = []byte("v1")
	bucketMeta      = []byte("meta")
	bucketJobs      = []byte("jobs")
	bucketPieces    = []byte("pieces")
	bucketEvents    = []byte("events")
	bucketJobEvents = []byte("jobevents")
	bucketPrinters  = []byte("printers")
	bucketSends     = []byte("sends")
	bucketTracks    = []byte("tracks")
	bucketResults   = []byte("results")
	bucketStates    = []byte("states")
	bucketQueues    = []byte("queues")
	bucketUnrouted  = []byte("unrouted")
	bucketOpenLoops = []byte("openloops")
	bucketRetain    = []byte("retain")
	bucketTrackDue  = []byte("trackdue")

	keySchemaVersion = []byte("schema_version")
)

// topBuckets are the buckets of schema version 1, directly under bucketRoot.
var topBuckets = [][]byte{bucketMeta, bucketJobs, bucketPieces, bucketEvents, bucketJobEvents}

// deviceBuckets are the buckets schema version 2 adds under bucketRoot.
var deviceBuckets = [][]byte{bucketPrinters, bucketSends}

// loopBuckets are the buckets schema version 3 adds under bucketRoot.
var loopBuckets = [][]byte{bucketTracks, bucketResults}

// indexBuckets are the job indexes schema version 4 adds under bucketRoot.
var indexBuckets = [][]byte{bucketStates, bucketQueues, bucketUnrouted, bucketOpenLoops, bucketRetain, bucketTrackDue}

// Names of the files and directories in a spool directory.
const (
	dbFile  = "spool.db"
	jobsDir = "jobs"
)

// u64key encodes n as an 8-byte big-endian key, so keys sort numerically.
func u64key(n uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n)
}

// keyU64 decodes a key written by u64key; ok is false if k has another length.
func keyU64(k []byte) (n uint64, ok bool) {
	if len(k) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(k), true
}
