package triggers

// Call is one trigger invocation: the trigger's name (its file name in the
// trigger directory), its positional arguments and its standard input (nil =
// empty).
type Call struct {
	Name  string
	Args  []string
	Stdin []byte
}
