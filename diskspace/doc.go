// Package diskspace tells transient resource errors from others and keeps
// watch over the free space of the filesystems omsd writes to.
//
// A resource error (IsResource) is one that goes away when an operator
// frees space, raises a quota, remounts a filesystem read-write or replaces
// a failing disk: ENOSPC, EDQUOT, EROFS and EIO. Data that could not be
// written for such a reason is not bad; the job that wrote it is held and
// tried again, never aborted.
//
// A Gate decides whether omsd may write spool data. It is closed while one
// of the watched filesystems has less free space than the watermark
// (spool.min_free: bytes like "64MiB" or a share like "2%") or is mounted
// read-only, and after a resource error until the free space has grown on
// one of them (space was freed or the filesystem grown) or a backoff has
// passed (an I/O error, or a write larger than the watermark). A Monitor
// polls statfs(2) on the watched paths every few seconds — a few system
// calls, no file reads — and calls back when the gate opens.
package diskspace
