//go:build !failpoints

package failpoint

// Hit marks the failpoint name; without the failpoints build tag it does
// nothing.
func Hit(name string) {}
