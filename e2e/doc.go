// Package e2e holds omsd's end-to-end tests: they build the real omsd and
// omsctl binaries, run the daemon against real peers (ippeveprinter from
// cups-ipp-utils) and drive it the way an operator does, through hot
// folders and omsctl.
//
// The tests run in parallel: most of their time is spent waiting on
// daemons and peers, and the README's test command gives them -parallel 8.
// A test calls t.Parallel() first and then keeps to what is its own:
//   - directories from startDaemon, t.TempDir or os.MkdirTemp, never a
//     fixed path in a shared place;
//   - ports from testpeer.FreePort (or freePort), which never hands out a
//     port twice in one run; a fixed port only inside a network namespace
//     of its own (unshare --net, see TestLPDDataFirstFromRlpr);
//   - no t.Setenv, os.Setenv or os.Chdir: a process the test starts gets
//     its variables in its exec.Cmd's Env, and its directory in Dir;
//   - waits on events with a generous deadline (waitFor, waitProgress,
//     waitJobs), never sleeps or timed assertions: the other tests load
//     the machine while it runs.
//
// Subtests that each start their own daemon may call t.Parallel() too.
// A test that cannot share the machine (a timing bound, a fixed resource)
// leaves out t.Parallel() and says why in a doc comment line "Serial:
// REASON" (TestEveryTestRunsInParallel checks): it runs before the
// parallel tests, without them.
package e2e
