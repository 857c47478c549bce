//go:build !unix

package triggers

import "os/exec"

// ownProcessGroup: without Unix process groups a timeout kills the trigger
// process only (exec's default).
func ownProcessGroup(*exec.Cmd) {}

func isNoExec(error) bool { return false }
