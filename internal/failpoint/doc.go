// Package failpoint lets fault tests crash omsd at a named point of a
// multi-step operation, as kill -9 or a power loss would.
//
// In an ordinary build Hit does nothing and costs nothing. In a binary built
// with -tags failpoints, Hit(name) kills the process with SIGKILL when the
// environment variable OMSD_FAILPOINT names that point: "name" kills at the
// first hit, "name@N" at the Nth.
package failpoint

// EnvVar names the failpoint a failpoints build kills at.
const EnvVar = "OMSD_FAILPOINT"
