package main

import (
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// The document separator helm.sh/helm/v3/pkg/releaseutil splits on.
var sep = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

type manifestHead struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   *struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

// writeManifests prints the rendered documents in `helm template`'s format ("---" and a
// "# Source:" line before each), leaving out partials, NOTES.txt and empty documents, and
// failing, as Helm does, on a document that is not YAML or lacks its kind.
func writeManifests(w io.Writer, rendered map[string]string) error {
	names := make([]string, 0, len(rendered))
	for name := range rendered {
		if strings.HasSuffix(name, "NOTES.txt") || strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, doc := range sep.Split(rendered[name], -1) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			var head manifestHead
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				return fmt.Errorf("YAML parse error on %s: %w", name, err)
			}
			if head.Kind == "" || head.APIVersion == "" {
				if isOnlyComments(doc) {
					continue
				}
				return fmt.Errorf("%s: a document without apiVersion or kind:\n%s", name, doc)
			}
			fmt.Fprintf(w, "---\n# Source: %s\n%s\n", name, strings.TrimRight(doc, "\n"))
		}
	}
	return nil
}

func isOnlyComments(doc string) bool {
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			return false
		}
	}
	return true
}
