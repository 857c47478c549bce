// Package e2e holds resilience tests that run real `jetstream server`
// processes (built once per test run) on 127.0.0.1: resume after kill -9 of
// either side, network outages, changing, unreadable and hostile input, and a
// receiver disk that fills up. It has no non-test code.
package e2e
