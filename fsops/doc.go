// Package fsops is the daemon's sandboxed filesystem layer.
//
// A [Sandbox] maps a user's view of the filesystem (a default root addressed
// as "/rel/path" plus named roots addressed as "name:/rel/path") onto absolute
// host directories. [Sandbox.Resolve] turns a path received from the network
// into a host path that is guaranteed to lie inside the sandbox: it cleans the
// path, refuses NUL bytes and ".." escapes, and follows symbolic links itself
// so that a link leading out of its root is refused. [Sandbox.LandingPath]
// implements the product's "where do transfers go" table on top of it.
//
// [Ops] performs the API's file operations (ls, du, mkdir, mv, rm) inside a
// sandbox with the permissions of a logged-in user: every operation runs under
// [AsUser], which on Linux switches the calling OS thread's filesystem
// credentials (setgroups, setfsgid, setfsuid) for the duration of the call.
// On Unix the mutations work relative to directory file descriptors opened
// without following symbolic links, so a concurrent rename or symlink swap
// cannot redirect them out of the sandbox.
//
// Paths are POSIX paths ('/' separated). A backslash or a colon is an ordinary
// file-name character: "C:\x" is a plain name unless "C" is a named root.
package fsops
