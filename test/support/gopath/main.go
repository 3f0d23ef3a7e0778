// Answers path questions with Go's own path and path/filepath packages, the ones Image Updater
// resolves write-back targets with, so tests check lib/writeBackTarget.ts against Go's
// semantics rather than against expectations written by hand.
//
// Usage: gopath < calls.json, each call {"fn": "path.Join" | "filepath.Join" | "filepath.Rel",
// "args": [...]}; prints one result string per call.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
)

type call struct {
	Fn   string   `json:"fn"`
	Args []string `json:"args"`
}

func answer(c call) (string, error) {
	switch c.Fn {
	case "path.Join":
		return path.Join(c.Args...), nil
	case "filepath.Join":
		return filepath.Join(c.Args...), nil
	case "filepath.Rel":
		if len(c.Args) != 2 {
			return "", fmt.Errorf("filepath.Rel takes 2 arguments, got %d", len(c.Args))
		}
		return filepath.Rel(c.Args[0], c.Args[1])
	}
	return "", fmt.Errorf("unknown function %q", c.Fn)
}

func main() {
	var calls []call
	if err := json.NewDecoder(os.Stdin).Decode(&calls); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	results := make([]string, 0, len(calls))
	for _, c := range calls {
		result, err := answer(c)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		results = append(results, result)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
