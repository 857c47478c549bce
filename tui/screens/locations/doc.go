// Package locations is the connection screen: the saved locations of the
// client config (add, edit, delete), the local file system, a masked
// password prompt, and the TLS first-use pin notice.
package locations
