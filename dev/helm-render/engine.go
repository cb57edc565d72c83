package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"
	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

// What follows reproduces helm.sh/helm/v3/pkg/engine: the function map, template naming
// (<chart>/templates/<file>), parse order, partials, missingkey handling and error messages.

const warnStart, warnEnd = "HELM_ERR_START", "HELM_ERR_END"
const recursionMax = 1000

var warnRegex = regexp.MustCompile(warnStart + `((?s).*)` + warnEnd)

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(str string) []interface{} {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

func toTOML(v interface{}) string {
	b := bytes.NewBuffer(nil)
	if err := toml.NewEncoder(b).Encode(v); err != nil {
		return err.Error()
	}
	return b.String()
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(str string) []interface{} {
	a := []interface{}{}
	if err := json.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

type engine struct {
	root  *template.Template
	chart string
}

func (e *engine) funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	included := map[string]int{}
	extra := template.FuncMap{
		"toToml":        toTOML,
		"toYaml":        toYAML,
		"fromYaml":      fromYAML,
		"fromYamlArray": fromYAMLArray,
		"toJson":        toJSON,
		"fromJson":      fromJSON,
		"fromJsonArray": fromJSONArray,
		// `helm template` has no cluster: lookup finds nothing, as there.
		"lookup": func(string, string, string, string) (map[string]interface{}, error) {
			return map[string]interface{}{}, nil
		},
		"include": func(name string, data interface{}) (string, error) {
			if included[name] > recursionMax {
				return "", fmt.Errorf("unable to execute template: rendering template has a nested reference name: %s", name)
			}
			included[name]++
			defer func() { included[name]-- }()
			var buf strings.Builder
			err := e.root.ExecuteTemplate(&buf, name, data)
			return buf.String(), err
		},
		"tpl": func(tpl string, vals map[string]interface{}) (string, error) {
			return e.tpl(tpl, vals)
		},
		"required": func(warn string, val interface{}) (interface{}, error) {
			if val == nil {
				return val, errors.New(warnStart + warn + warnEnd)
			}
			if s, ok := val.(string); ok && s == "" {
				return val, errors.New(warnStart + warn + warnEnd)
			}
			return val, nil
		},
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// tpl renders a string as a template in the current template's name, with every chart
// template available to include.
func (e *engine) tpl(text string, vals map[string]interface{}) (string, error) {
	tmeta, _ := vals["Template"].(map[string]interface{})
	name, _ := tmeta["Name"].(string)
	if name == "" {
		return "", fmt.Errorf("cannot retrieve Template.Name from values inside tpl function: %s", text)
	}
	clone, err := e.root.Clone()
	if err != nil {
		return "", err
	}
	if _, err := clone.New(name).Parse(text); err != nil {
		return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
	}
	var buf strings.Builder
	if err := clone.ExecuteTemplate(&buf, name, vals); err != nil {
		return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
	}
	return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
}

// render executes every non-partial template (NOTES.txt included) and returns the output by
// template name.
func render(c *chart, top map[string]interface{}, strict bool) (map[string]string, error) {
	e := &engine{root: template.New("gotpl"), chart: c.Metadata.Name}
	if strict {
		e.root.Option("missingkey=error")
	} else {
		e.root.Option("missingkey=zero")
	}
	e.root.Funcs(e.funcMap())

	names := make([]string, 0, len(c.Templates))
	byName := map[string][]byte{}
	for _, t := range c.Templates {
		name := path.Join(c.Metadata.Name, t.Name)
		names = append(names, name)
		byName[name] = t.Data
	}
	// Helm parses shallow paths before deep ones, alphabetically within a depth.
	sort.SliceStable(names, func(i, j int) bool {
		di, dj := strings.Count(names[i], "/"), strings.Count(names[j], "/")
		if di != dj {
			return di < dj
		}
		return names[i] < names[j]
	})
	for _, name := range names {
		if _, err := e.root.New(name).Parse(string(byName[name])); err != nil {
			return nil, cleanupParseError(name, err)
		}
	}

	out := map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := map[string]interface{}{}
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]interface{}{"Name": name, "BasePath": path.Join(c.Metadata.Name, "templates")}
		var buf strings.Builder
		if err := e.root.ExecuteTemplate(&buf, name, vals); err != nil {
			return nil, cleanupExecError(name, err)
		}
		out[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return out, nil
}

func cleanupParseError(filename string, err error) error {
	tokens := strings.Split(err.Error(), ": ")
	if len(tokens) == 1 {
		return fmt.Errorf("parse error in (%s): %s", filename, err)
	}
	return fmt.Errorf("parse error at (%s): %s", tokens[1], tokens[len(tokens)-1])
}

func cleanupExecError(filename string, err error) error {
	if _, ok := err.(template.ExecError); !ok {
		return err
	}
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("execution error in (%s): %s", filename, err)
	}
	if parts := warnRegex.FindStringSubmatch(tokens[2]); len(parts) >= 2 {
		return fmt.Errorf("execution error at (%s): %s", tokens[1], parts[1])
	}
	return err
}
