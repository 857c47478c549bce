package locations

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/textfield"
	"github.com/jetstream-go/jetstream/tui/format"
	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// Form fields, in order.
const (
	fName = iota
	fAddress
	fPort
	fUser
	fRate
	fMinRate
	fCipher
	fPolicy
	numFields
)

var fieldLabels = [numFields]string{"Name", "Address", "API port", "User", "Rate", "Min rate", "Cipher", "Policy"}

var fieldHints = [numFields]string{
	"letters, digits, . _ -",
	"host name or IP (default: the name)",
	"default 8886",
	"account on the server",
	"e.g. 500M (bit/s) or 100000 (kbit/s)",
	"same syntax as rate",
	"none, auth, aes128 or aes256",
	"fixed, fair or low",
}

// form edits one location.
type form struct {
	orig   string // name of the edited location, "" when adding
	fields [numFields]textfield.Model
	focus  int
	err    string
}

func newForm(loc common.Location, editing bool) *form {
	f := &form{}
	if editing {
		f.orig = loc.Name
	}
	port := ""
	if loc.APIPort != 0 {
		port = fmt.Sprint(loc.APIPort)
	}
	vals := [numFields]string{loc.Name, loc.Address, port, loc.User, loc.Rate, loc.MinRate, loc.Cipher, loc.Policy}
	for i := range f.fields {
		f.fields[i] = textfield.New(vals[i])
		f.fields[i].Focused = i == 0
	}
	return f
}

// location reads the fields; the port must parse.
func (f *form) location() (common.Location, error) {
	v := func(i int) string { return strings.TrimSpace(f.fields[i].Value()) }
	loc := common.Location{
		Name: v(fName), Address: v(fAddress), User: v(fUser),
		Rate: v(fRate), MinRate: v(fMinRate), Cipher: strings.ToLower(v(fCipher)), Policy: strings.ToLower(v(fPolicy)),
	}
	if p := v(fPort); p != "" {
		n, err := common.ParsePort(p)
		if err != nil {
			return loc, fmt.Errorf("API port: %w", err)
		}
		loc.APIPort = n
	}
	if loc.Name == "" {
		return loc, errors.New("the name is required")
	}
	if err := loc.Validate(); err != nil {
		return loc, err
	}
	return loc, nil
}

// update handles a key; done reports save (true) or cancel (false) when
// finished is set.
func (f *form) update(k tea.KeyMsg, km *keys.KeyMap) (finished, save bool) {
	switch {
	case key.Matches(k, km.Back):
		return true, false
	case k.Type == tea.KeyEnter:
		return true, true
	case key.Matches(k, km.NextField):
		f.move(1)
	case key.Matches(k, km.PrevField):
		f.move(-1)
	default:
		f.fields[f.focus] = f.fields[f.focus].Update(k)
		f.err = ""
	}
	return false, false
}

func (f *form) move(d int) {
	f.fields[f.focus].Focused = false
	f.focus = (f.focus + d + numFields) % numFields
	f.fields[f.focus].Focused = true
}

func (f *form) view(st *styles.Styles, width int) string {
	title := "Add location"
	if f.orig != "" {
		title = "Edit location " + format.Sanitize(f.orig)
	}
	lines := []string{st.DialogTitle.Render(title), ""}
	inputW := max(min(width-16, 40), 8)
	for i := range f.fields {
		marker := "  "
		if i == f.focus {
			marker = "› "
		}
		line := marker + st.Label.Render(format.PadRight(fieldLabels[i], 10)) + " " + f.fields[i].View(st, inputW)
		if i == f.focus && width-16-inputW > 10 {
			line += "  " + st.Dim.Render(fieldHints[i])
		}
		lines = append(lines, format.Fit(line, width))
	}
	lines = append(lines, "")
	if f.err != "" {
		for _, l := range strings.Split(f.err, "\n") {
			lines = append(lines, wrap(st.Error.Render, format.Sanitize(l), width)...)
		}
	} else {
		lines = append(lines, st.Dim.Render(format.Fit(fieldLabels[f.focus]+": "+fieldHints[f.focus], width)))
	}
	return strings.Join(lines, "\n")
}
