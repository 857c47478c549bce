// Package triggers runs the user's trigger executables for daemon events, the
// way the product documents them: an executable in the trigger directory named
// exactly after its event, run serially, asynchronously and silently.
//
// The package has two halves:
//
//   - pure mapping from daemon events and processed API commands to trigger
//     invocations ([ForEvent], [ForAPICall]), with the documented arguments and
//     standard input, secrets redacted;
//   - the [Runner]: a bounded queue (never blocks the caller, drops and logs
//     when full) drained by one worker that executes one trigger at a time with
//     the trigger directory as working directory, an optional timeout that kills
//     the trigger's process group, and an optional trigger log.
//
// [Events] documents every trigger; TRIGGERS.md in this directory is generated
// from it ([Markdown]) for the manual.
//
// The package depends on the standard library only.
package triggers
