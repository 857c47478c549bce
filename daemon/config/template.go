package config

import "strings"

// templateHeader opens the template.
const templateHeader = `# JetStream server configuration (TOML).
#
# Every key is also a flag of "jetstream server" (api-port is --api-port) and
# an environment variable (JETSTREAM_API_PORT). Flags win over the environment,
# the environment over this file, this file over the defaults.
# Unknown keys and bad values stop the server at start, with file:line:column.
#
# The lines below show the defaults of a server running as root. Uncomment a
# line and change its value to override it.
`

// Template returns a commented TOML file with every key, its default and a
// one-line explanation; packages install it as DefaultConfigFile. With every
// "# key = value" line uncommented it parses strictly to the root defaults.
func Template() string {
	var b strings.Builder
	b.WriteString(templateHeader)
	section := ""
	for i := range specs {
		sp := &specs[i]
		if sp.Section != section {
			section = sp.Section
			b.WriteString("\n## " + section + "\n")
		}
		b.WriteString("\n# " + sp.Help + "\n")
		b.WriteString("# " + sp.Name + " = " + sp.format(&rootDefaults) + "\n")
	}
	return b.String()
}
