// Executes a Go text/template with Sprig's functions, the engine ESO's template v2 and Image
// Updater's commit message use, so tests check what those controllers will produce rather
// than what the template looks like.
//
// Usage: gotemplate [-bare] TEMPLATE_FILE < data.json
//
// ESO v2.9.0 (pkg/template/v2) parses with missingkey=error and Sprig's TxtFuncMap without
// env and expandenv, over a map of strings. This does the same; the data may also hold lists
// and objects, for templates that get structured data. With -bare, no function beyond Go's
// built-ins, as Image Updater v1.2.2 parses its commit message template (cmd/common.go).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

func fail(code int, format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(code)
}

func main() {
	args := os.Args[1:]
	bare := len(args) == 2 && args[0] == "-bare"
	if bare {
		args = args[1:]
	}
	if len(args) != 1 {
		fail(2, "usage: gotemplate [-bare] TEMPLATE_FILE < data.json")
	}
	source, err := os.ReadFile(args[0])
	if err != nil {
		fail(2, "read template: %v", err)
	}
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(2, "read data: %v", err)
	}
	var data interface{}
	if err := json.Unmarshal(raw, &data); err != nil {
		fail(2, "data is not JSON: %v", err)
	}
	tpl := template.New("template").Option("missingkey=error")
	if !bare {
		functions := sprig.TxtFuncMap()
		delete(functions, "env")
		delete(functions, "expandenv")
		tpl = tpl.Funcs(functions)
	}
	tpl, err = tpl.Parse(string(source))
	if err != nil {
		fail(1, "parse: %v", err)
	}
	if err := tpl.Execute(os.Stdout, data); err != nil {
		fail(1, "execute: %v", err)
	}
}
