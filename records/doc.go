// Package records reads and writes the line-oriented files that omsd
// exchanges with inserting lines: the manifest an inserter reads (one record
// per mail piece) and the result files it writes back (one record per piece
// processed).
//
// A Layout, defined in YAML, says how a record looks: fixed-width fields
// (start column, length, alignment, pad character) or CSV columns with a
// header row. A record kind (header, piece, trailer) is told apart by a
// literal tag at a fixed column. When writing, a field's value comes from a
// template over the piece's fields, "{seq}" or "{meta.name}"; when reading,
// each field is stored under its name.
//
// The Reader is shaped like encoding/csv's: Read returns one record with
// its line number, io.EOF at the end. It is strict: a line that does not fit
// the layout is an error (a *LineError carrying the line number), and the
// next Read goes on with the next line, so a caller can report bad lines and
// still take the good ones. Lines are read into a buffer of bounded size; a
// longer line is an error, never a larger allocation.
//
// Example layouts ship embedded (see Builtin): manifests jaf and mrdf,
// results jrf, pb-output and csv.
package records
