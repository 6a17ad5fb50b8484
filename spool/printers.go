package spool

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// PrinterState is what an operator (or an error policy) set on a printer.
// It survives restarts; the zero value is a printer that takes and prints
// work.
type PrinterState struct {
	Paused   bool      `json:"paused,omitempty"`   // no dispatch until resumed
	Disabled bool      `json:"disabled,omitempty"` // takes no new work until enabled
	Draining bool      `json:"draining,omitempty"` // finishes what it is sending, then pauses
	Stopped  bool      `json:"stopped,omitempty"`  // stopped by its error policy until resumed
	Reason   string    `json:"reason,omitempty"`   // why it was paused, disabled or stopped
	Updated  time.Time `json:"updated"`
}

// PrinterState returns the stored state of printer name (the zero value if
// none was stored).
func (s *Store) PrinterState(name string) (PrinterState, error) {
	var ps PrinterState
	err := s.db.View(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketPrinters)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(name)); v != nil {
			return decode("printer", []byte(name), v, &ps)
		}
		return nil
	})
	if err != nil {
		return PrinterState{}, fmt.Errorf("printer %s state: %w", name, err)
	}
	return ps, nil
}

// UpdatePrinterState reads printer name's state, calls fn on it and stores
// the result in one transaction.
func (s *Store) UpdatePrinterState(name string, fn func(*PrinterState)) (PrinterState, error) {
	if name == "" {
		return PrinterState{}, fmt.Errorf("printer state without a name: %w", ErrInvalid)
	}
	var ps PrinterState
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketPrinters)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(name)); v != nil {
			if err := decode("printer", []byte(name), v, &ps); err != nil {
				return err
			}
		}
		fn(&ps)
		ps.Updated = time.Now().UTC()
		data, err := json.Marshal(ps)
		if err != nil {
			return err
		}
		return b.Put([]byte(name), data)
	})
	if err != nil {
		return PrinterState{}, fmt.Errorf("printer %s state: %w", name, err)
	}
	return ps, nil
}
