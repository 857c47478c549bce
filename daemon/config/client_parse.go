package config

import "slices"

// ParseClient checks data as a client configuration file; name is used in
// error messages. It is LoadClient without the file system.
func ParseClient(name string, data []byte) (*Client, error) {
	doc, err := parseDocument(name, data)
	if err != nil {
		return nil, err
	}
	c := &Client{Hosts: map[string]HostProfile{}}
	var probs problems
	for _, k := range doc.sortedKeys(doc.values) {
		if k != "hosts" {
			probs.add(func() *FileError {
				return doc.errAt(doc.keyPos(k), "unknown key %s%s", quoteShort(k), suggest(k, []string{"hosts"}))
			})
			continue
		}
		hosts, ok := doc.values[k].(map[string]any)
		if !ok {
			probs.add(func() *FileError {
				return doc.errAt(doc.valPos(k), "hosts: expected a table of profiles ([hosts.NAME]), got %s",
					describe(doc.values[k]))
			})
			continue
		}
		for _, n := range doc.sortedKeys(hosts, "hosts") {
			c.Hosts[n] = parseProfile(doc, n, hosts[n], &probs)
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// parseProfile checks the profile [hosts.name] with value v.
func parseProfile(doc *document, name string, v any, probs *problems) HostProfile {
	var p HostProfile
	label := "hosts." + tomlKey(name)
	table, ok := v.(map[string]any)
	if !ok {
		probs.add(func() *FileError {
			return doc.errAt(doc.valPos("hosts", name), "%s: expected a table of profile keys, got %s", label, describe(v))
		})
		return p
	}
	if err := checkProfileName(name); err != nil {
		probs.add(func() *FileError { return doc.errAt(doc.keyPos("hosts", name), "%s: %v", label, err) })
	}
	for _, k := range doc.sortedKeys(table, "hosts", name) {
		i := slices.IndexFunc(hostFields, func(f hostField) bool { return f.name == k })
		if i < 0 {
			probs.add(func() *FileError {
				return doc.errAt(doc.keyPos("hosts", name, k), "unknown key %s in [%s]%s",
					quoteShort(k), label, suggest(k, hostFieldNames))
			})
			continue
		}
		val, err := hostFields[i].decode(table[k])
		if err != nil {
			probs.add(func() *FileError { return doc.valueErr(label+"."+k, err, "hosts", name, k) })
			continue
		}
		hostFields[i].set(&p, val)
	}
	if err := checkRateOrder(&p); err != nil {
		probs.add(func() *FileError {
			return doc.errAt(doc.valPos("hosts", name, "min-rate"), "%s.min-rate: %v", label, err)
		})
	}
	return p
}
