package main

import (
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/Masterminds/semver"
	"sigs.k8s.io/yaml"
)

// Maintainer and Metadata mirror helm.sh/helm/v3/pkg/chart, so `.Chart.AppVersion` and
// friends resolve exactly as in Helm.
type Maintainer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

type Metadata struct {
	Name         string            `json:"name,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version,omitempty"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []*Maintainer     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion,omitempty"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []interface{}     `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

type templateFile struct {
	Name string
	Data []byte
}

type chart struct {
	Metadata  *Metadata
	Values    map[string]interface{}
	Schema    []byte
	Templates []templateFile
	Files     files
}

// loadChart reads a chart directory as Helm's directory loader does: .helmignore applies,
// Chart.yaml, values.yaml and values.schema.json are special, templates/ holds templates,
// and every other file is reachable through .Files.
func loadChart(dir string) (*chart, error) {
	rules, err := loadIgnoreRules(dir)
	if err != nil {
		return nil, err
	}
	c := &chart{Values: map[string]interface{}{}, Files: files{}}
	err = filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if rules.ignore(rel, fi.IsDir()) {
			if fi.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if fi.IsDir() {
			return nil
		}
		data, err := ioutil.ReadFile(path)
		if err != nil {
			return err
		}
		switch {
		case rel == "Chart.yaml":
			c.Metadata = &Metadata{}
			if err := yaml.Unmarshal(data, c.Metadata); err != nil {
				return fmt.Errorf("cannot load Chart.yaml: %w", err)
			}
		case rel == "values.yaml":
			if err := yaml.Unmarshal(data, &c.Values); err != nil {
				return fmt.Errorf("cannot load values.yaml: %w", err)
			}
			if c.Values == nil {
				c.Values = map[string]interface{}{}
			}
		case rel == "values.schema.json":
			c.Schema = data
		case strings.HasPrefix(rel, "charts/"):
			return fmt.Errorf("%s: chart dependencies are not supported by this renderer", rel)
		case strings.HasPrefix(rel, "templates/"):
			c.Templates = append(c.Templates, templateFile{Name: rel, Data: data})
		default:
			c.Files[rel] = data
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if c.Metadata == nil {
		return nil, fmt.Errorf("Chart.yaml file is missing in %s", dir)
	}
	if err := validateMetadata(c.Metadata); err != nil {
		return nil, err
	}
	sort.Slice(c.Templates, func(i, j int) bool { return c.Templates[i].Name < c.Templates[j].Name })
	return c, nil
}

func validateMetadata(m *Metadata) error {
	if m.APIVersion != "v1" && m.APIVersion != "v2" {
		return fmt.Errorf("validation: chart.metadata.apiVersion must be v1 or v2, got %q", m.APIVersion)
	}
	if m.Name == "" {
		return fmt.Errorf("validation: chart.metadata.name is required")
	}
	if _, err := semver.NewVersion(m.Version); err != nil {
		return fmt.Errorf("validation: chart.metadata.version %q is invalid", m.Version)
	}
	return nil
}

// ignoreRule is one .helmignore line, matched as helm.sh/helm/v3/pkg/ignore matches it:
// a pattern without a slash matches the base name, one with a slash the whole path.
type ignoreRule struct {
	pattern string
	negate  bool
	mustDir bool
}

type ignoreRules []ignoreRule

func loadIgnoreRules(dir string) (ignoreRules, error) {
	// Helm's default: hidden files under templates/ are never templates.
	rules := ignoreRules{{pattern: "templates/.?*"}}
	data, err := ioutil.ReadFile(filepath.Join(dir, ".helmignore"))
	if os.IsNotExist(err) {
		return rules, nil
	} else if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.Contains(line, "**") {
			return nil, fmt.Errorf(".helmignore: double-star (**) syntax is not supported: %s", line)
		}
		r := ignoreRule{}
		if strings.HasPrefix(line, "!") {
			r.negate, line = true, line[1:]
		}
		if strings.HasSuffix(line, "/") {
			r.mustDir, line = true, strings.TrimSuffix(line, "/")
		}
		r.pattern = line
		rules = append(rules, r)
	}
	return rules, nil
}

func (rules ignoreRules) ignore(path string, isDir bool) bool {
	for _, r := range rules {
		if r.negate {
			// Helm's semantics: a negated rule ignores whatever it does not match.
			if r.mustDir && !isDir {
				return true
			}
			if !r.match(path) {
				return true
			}
			continue
		}
		if r.mustDir && !isDir {
			continue
		}
		if r.match(path) {
			return true
		}
	}
	return false
}

func (r ignoreRule) match(path string) bool {
	pattern, name := r.pattern, path
	switch {
	case strings.HasPrefix(pattern, "/"):
		pattern = strings.TrimPrefix(pattern, "/")
	case !strings.Contains(pattern, "/"):
		name = filepath.Base(path)
	}
	ok, err := filepath.Match(pattern, name)
	return err == nil && ok
}
