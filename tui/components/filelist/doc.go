// Package filelist is the list of one browser pane: entries with a cursor,
// marks, sorting, filtering and hidden files. It is pure state plus a View;
// loading is the browser's job.
package filelist
