// Package e2e holds omsd's end-to-end tests: they build the real omsd and
// omsctl binaries, run the daemon against real peers (ippeveprinter from
// cups-ipp-utils) and drive it the way an operator does, through hot
// folders and omsctl.
package e2e
