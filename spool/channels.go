package spool

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Piece event kinds of the digital channels.
const (
	TrackEmailed         = "emailed"            // Detail: Message-ID and the server's reply
	TrackPortalDelivered = "portal-delivered"   // Detail: the file written
	TrackFellBack        = "fell-back-to-print" // Detail: why, and the print job
	TrackBounced         = "bounced"            // an accepted e-mail bounced; Detail: Message-ID and why
	TrackOpened          = "opened"             // the portal reported the piece opened
)

// Delivery states of a piece on a digital channel.
const (
	DeliveryPending   = "pending"   // not tried yet, or to be tried again at NextTry
	DeliverySending   = "sending"   // an attempt started and its outcome is not recorded
	DeliveryDelivered = "delivered" // the channel accepted it (Reply says how)
	DeliveryFailed    = "failed"    // failed for good; waits for its fallback job
	DeliveryFellBack  = "fell-back" // in the print job FallbackJob
)

// Delivery is where one piece stands on its digital channel. A delivery
// is recorded before its attempt starts (DeliverySending with its
// MessageID) and after it ends, each in its own transaction: after a
// crash a piece found sending is tried again with the same MessageID.
type Delivery struct {
	Job         int64     `json:"job"`
	Seq         int       `json:"seq"`
	Channel     string    `json:"channel"` // email or portal
	State       string    `json:"state"`
	To          string    `json:"to,omitempty"`
	MessageID   string    `json:"message_id,omitempty"`
	Attempts    int       `json:"attempts"`
	NextTry     time.Time `json:"next_try,omitzero"`
	Reply       string    `json:"reply,omitempty"` // the server's final reply, or the file written
	Error       string    `json:"error,omitempty"`
	FallbackJob int64     `json:"fallback_job,omitempty"`
	// FailedAt is when the delivery was first recorded failed (set by
	// the store when it is not).
	FailedAt time.Time `json:"failed_at,omitzero"`
	// OpenBy is when a portal piece must be reported opened (zero: it
	// need not be); Opened is when it was.
	OpenBy  time.Time `json:"open_by,omitzero"`
	Opened  time.Time `json:"opened,omitzero"`
	Updated time.Time `json:"updated"`
}

// Done reports whether nothing more is to be done for the delivery: it
// fell back to print, or it was delivered (and opened, if it must be).
func (d Delivery) Done() bool {
	return d.State == DeliveryFellBack || d.State == DeliveryDelivered && (d.OpenBy.IsZero() || !d.Opened.IsZero())
}

// The channels' buckets, created on first write under bucketRoot:
//
//	chdeliveries/  <id uint64 BE>/
//	                 <seq uint64 BE> -> Delivery JSON
//	chopen/        <id uint64 BE> -> uint64 BE (jobs with deliveries not done: how many)
var (
	bucketChDeliveries = []byte("chdeliveries")
	bucketChOpen       = []byte("chopen")
)

// StartDeliveries records job id's deliveries when its pieces were
// found; a job with none is recorded too, so that HasDeliveries is true.
func (s *Store) StartDeliveries(id int64, ds []Delivery) error {
	return s.putDeliveries(id, ds, nil)
}

// PutDeliveries stores deliveries and appends the piece events entries to
// their histories, in one transaction; the deliveries' jobs are marked
// open while one of theirs is not done. It returns once committed.
func (s *Store) PutDeliveries(ds []Delivery, entries []TrackEntry) error {
	return s.putDeliveries(0, ds, entries)
}

func (s *Store) putDeliveries(start int64, ds []Delivery, entries []TrackEntry) error {
	if err := checkTrackEntries(entries); err != nil {
		return err
	}
	err := s.batch(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		if root == nil {
			return fmt.Errorf("bucket %s missing: %w", bucketRoot, ErrCorrupt)
		}
		all, err := root.CreateBucketIfNotExists(bucketChDeliveries)
		if err != nil {
			return err
		}
		open, err := root.CreateBucketIfNotExists(bucketChOpen)
		if err != nil {
			return err
		}
		if k, ok := idKey(start); ok {
			if _, err := all.CreateBucketIfNotExists(k); err != nil {
				return err
			}
		}
		for _, d := range ds {
			if err := putDelivery(all, open, d); err != nil {
				return err
			}
		}
		return putTrackEntries(tx, entries)
	})
	if err != nil {
		return fmt.Errorf("recording deliveries: %w", err)
	}
	return nil
}

// putDelivery stores d and keeps the count of its job's deliveries not
// done in open (the key is absent at zero).
func putDelivery(all, open *bbolt.Bucket, d Delivery) error {
	k, ok := idKey(d.Job)
	if !ok || d.Seq <= 0 {
		return fmt.Errorf("delivery of piece %d of job %d: %w", d.Seq, d.Job, ErrInvalid)
	}
	jb, err := all.CreateBucketIfNotExists(k)
	if err != nil {
		return err
	}
	seq := u64key(uint64(d.Seq))
	wasOpen := false
	if old := jb.Get(seq); old != nil {
		var prev Delivery
		if err := decode("delivery", seq, old, &prev); err != nil {
			return err
		}
		wasOpen = !prev.Done()
	}
	d.Updated = time.Now().UTC()
	if d.State == DeliveryFailed && d.FailedAt.IsZero() {
		d.FailedAt = d.Updated
	}
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := jb.Put(seq, data); err != nil {
		return err
	}
	return countOpen(open, k, wasOpen, !d.Done())
}

// countOpen adjusts job k's count of deliveries not done.
func countOpen(open *bbolt.Bucket, k []byte, was, is bool) error {
	if was == is {
		return nil
	}
	n, _ := keyU64(open.Get(k))
	if is {
		n++
	} else if n > 0 {
		n--
	}
	if n == 0 {
		return open.Delete(k)
	}
	return open.Put(k, u64key(n))
}

func readDeliveries(jb *bbolt.Bucket) (map[int]Delivery, error) {
	out := map[int]Delivery{}
	if jb == nil {
		return out, nil
	}
	err := jb.ForEach(func(k, v []byte) error {
		var d Delivery
		if err := decode("delivery", k, v, &d); err != nil {
			return err
		}
		out[d.Seq] = d
		return nil
	})
	return out, err
}

// Deliveries returns job id's deliveries by piece seq; none if it has none.
func (s *Store) Deliveries(id int64) (map[int]Delivery, error) {
	out := map[int]Delivery{}
	k, ok := idKey(id)
	if !ok {
		return out, nil
	}
	err := s.db.View(func(tx *bbolt.Tx) error {
		all := channelBucket(tx, bucketChDeliveries)
		if all == nil {
			return nil
		}
		var err error
		out, err = readDeliveries(all.Bucket(k))
		return err
	})
	return out, err
}

// OpenDeliveryJobs lists the jobs with a delivery not done, oldest first.
func (s *Store) OpenDeliveryJobs() ([]int64, error) {
	var ids []int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		if open := channelBucket(tx, bucketChOpen); open != nil {
			ids = idsIn(open)
		}
		return nil
	})
	return ids, err
}

// HasDeliveries reports whether job id's deliveries were recorded.
func (s *Store) HasDeliveries(id int64) (bool, error) {
	k, ok := idKey(id)
	if !ok {
		return false, nil
	}
	has := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		all := channelBucket(tx, bucketChDeliveries)
		has = all != nil && all.Bucket(k) != nil
		return nil
	})
	return has, err
}

// deliveriesOpen reports whether job id has a delivery not done (its
// pieces' PDFs and print file are still needed).
func deliveriesOpen(tx *bbolt.Tx, id int64) bool {
	k, ok := idKey(id)
	open := channelBucket(tx, bucketChOpen)
	return ok && open != nil && open.Get(k) != nil
}

func channelBucket(tx *bbolt.Tx, name []byte) *bbolt.Bucket {
	root := tx.Bucket(bucketRoot)
	if root == nil {
		return nil
	}
	return root.Bucket(name)
}
