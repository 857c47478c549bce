// Package browser is the two-pane file browser: local | remote, or remote |
// remote for server-to-server transfers. Directories load lazily through
// the pane's Source; operations (du, mkdir, rename/move, delete) run as
// commands; F5 queues transfers of the selection with the other pane's
// directory fixed as destination, asking about overwrite conflicts.
package browser
