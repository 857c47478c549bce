// Package auth checks API logins and decides who may become superuser.
//
// Authenticate tries, in order:
//
//  1. a built-in account (daemon/store's users.db in the state directory)
//     with that name; if one exists, its password decides;
//  2. otherwise the system account through PAM (service /etc/pam.d/jetstream,
//     created by New when missing and the daemon runs as root), when the
//     binary is built with cgo on Linux (pam_linux.go). A daemon that does
//     not run as root authenticates only its own user this way, as PAM's
//     unix_chkpwd helper allows nothing else.
//
// Every failure returns the same ErrAuthFailed, is logged as "authentication
// failed for user X from R" (never with the password), and is slowed down:
// the delay per (user, remote host) grows from 0.5 s, doubling to 8 s, and
// resets on success.
//
// Superuser eligibility (a session still has to call superuser()): the
// process owner by name, Config.Superusers, members of Config.Supergroups,
// and built-in accounts added with --superuser.
package auth
