// Resolves git write-back targets with Argo CD Image Updater v1.2.2's own code, so tests compare
// lib/writeBackTarget.ts with Go's path handling rather than with expectations written by hand.
//
// Usage: writeback < cases.json, where each case is {target?, sourcePath, name, namespace,
// updaterNamespace}; prints one {kind, target, path} per case.
//
// parseDefaultTarget, parseKustomizeBase and parseTarget are pkg/argocd/update.go at v1.2.2
// (parseDefaultTarget takes the updater's namespace instead of its Kubernetes client); resolve is
// the target dispatch of newWBCFromSettings in pkg/argocd/argocd.go; relativePath joins onto the
// clone as writeOverrides and writeKustomization in pkg/argocd/git.go do.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

const (
	KustomizationPrefix                      = "kustomization"
	HelmPrefix                               = "helmvalues"
	DefaultTargetFilePattern                 = ".argocd-source-%s_%s.yaml"
	DefaultTargetFilePatternWithoutNamespace = ".argocd-source-%s.yaml"
	DefaultHelmValuesFilename                = "values.yaml"
)

// A clone root deep enough that the test's `..` escapes do not reach "/".
const cloneRoot = "/tmp/a/b/c/d/e/f/g/h/clone"

type testCase struct {
	Target           *string `json:"target"`
	SourcePath       string  `json:"sourcePath"`
	Name             string  `json:"name"`
	Namespace        string  `json:"namespace"`
	UpdaterNamespace string  `json:"updaterNamespace"`
}

type destination struct {
	Kind   string `json:"kind"`
	Target string `json:"target"`
	Path   string `json:"path"`
}

func parseDefaultTarget(appNamespace string, appName string, path string, updaterNamespace string) string {
	if appNamespace == updaterNamespace || updaterNamespace == "default" || appNamespace == "" {
		defaultTargetFile := fmt.Sprintf(DefaultTargetFilePatternWithoutNamespace, appName)
		return filepath.Join(path, defaultTargetFile)
	} else {
		defaultTargetFile := fmt.Sprintf(DefaultTargetFilePattern, appNamespace, appName)
		return filepath.Join(path, defaultTargetFile)
	}
}

func parseKustomizeBase(target string, sourcePath string) (kustomizeBase string) {
	if target == KustomizationPrefix {
		return filepath.Join(sourcePath, ".")
	} else if base := target[len(KustomizationPrefix)+1:]; strings.HasPrefix(base, "/") {
		return base[1:]
	} else {
		return filepath.Join(sourcePath, base)
	}
}

func parseTarget(writeBackTarget string, sourcePath string) string {
	if writeBackTarget == HelmPrefix {
		return filepath.Join(sourcePath, "./", DefaultHelmValuesFilename)
	} else if base := writeBackTarget[len(HelmPrefix)+1:]; strings.HasPrefix(base, "/") {
		return base[1:]
	} else {
		return filepath.Join(sourcePath, base)
	}
}

func resolve(c testCase) destination {
	wbc := destination{Kind: "file", Target: parseDefaultTarget(c.Namespace, c.Name, c.SourcePath, c.UpdaterNamespace)}
	if c.Target != nil {
		target := *c.Target
		if strings.HasPrefix(target, KustomizationPrefix) {
			wbc = destination{Kind: "kustomization", Target: parseKustomizeBase(target, c.SourcePath)}
		} else if strings.HasPrefix(target, HelmPrefix) {
			wbc.Target = parseTarget(target, c.SourcePath)
		} else {
			wbc.Target = target
		}
	}
	wbc.Path = relativePath(wbc)
	return wbc
}

func relativePath(wbc destination) string {
	var full string
	if wbc.Kind == "kustomization" {
		full = filepath.Join(cloneRoot, wbc.Target)
	} else {
		full = path.Join(cloneRoot, wbc.Target)
	}
	rel, err := filepath.Rel(cloneRoot, full)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return rel
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := make([]destination, 0, len(cases))
	for _, c := range cases {
		out = append(out, resolve(c))
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
