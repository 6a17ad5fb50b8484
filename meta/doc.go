// Package meta holds the metadata of mail pieces compactly: the field
// names of a run once, the values of all its pieces back to back in one
// arena, and per piece a small view (Fields) of its run of fields — a
// pointer and two numbers instead of a map.
//
// A Builder makes the Fields of many pieces, one after the other, into
// shared tables; Of and FromMap make the Fields of one piece. Fields read
// like a map (Get, Lookup, All, Len) and encode to JSON exactly as the
// map of the same fields does, so stored records and API output keep
// their bytes. A Table is written only by its Builder; Fields may be read
// by any number of goroutines once the Builder has handed them out.
package meta
