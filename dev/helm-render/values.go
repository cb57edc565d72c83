package main

import (
	"bytes"
	"fmt"
	"io/ioutil"
	"os"
	"strconv"
	"strings"

	"github.com/xeipuuv/gojsonschema"
	"sigs.k8s.io/yaml"
)

// userValues merges -f files (later wins, maps deep-merged) and then applies --set and
// --set-string, in the order `helm template` does.
func userValues(valueFiles, sets, setStrings []string) (map[string]interface{}, error) {
	base := map[string]interface{}{}
	for _, file := range valueFiles {
		data, err := ioutil.ReadFile(file)
		if err != nil {
			return nil, err
		}
		current := map[string]interface{}{}
		if err := yaml.Unmarshal(data, &current); err != nil {
			return nil, fmt.Errorf("failed to parse %s: %w", file, err)
		}
		base = mergeMaps(base, current)
	}
	for _, s := range sets {
		if err := parseSet(s, base, false); err != nil {
			return nil, fmt.Errorf("failed parsing --set data: %w", err)
		}
	}
	for _, s := range setStrings {
		if err := parseSet(s, base, true); err != nil {
			return nil, fmt.Errorf("failed parsing --set-string data: %w", err)
		}
	}
	return base, nil
}

func mergeMaps(a, b map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bv, ok := v.(map[string]interface{}); ok {
			if av, ok := out[k].(map[string]interface{}); ok {
				out[k] = mergeMaps(av, bv)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// coalesceValues lays the user's values over the chart's defaults like chartutil.CoalesceValues:
// maps merge recursively, a user's null deletes the default, anything else replaces it.
func coalesceValues(defaults, user map[string]interface{}) map[string]interface{} {
	out := deepCopy(user).(map[string]interface{})
	coalesceTables(out, deepCopy(defaults).(map[string]interface{}))
	return out
}

func coalesceTables(dst, src map[string]interface{}) {
	for key, val := range src {
		dv, present := dst[key]
		switch {
		case !present:
			dst[key] = val
		case dv == nil:
			delete(dst, key)
		default:
			dm, dIsMap := dv.(map[string]interface{})
			sm, sIsMap := val.(map[string]interface{})
			if dIsMap && sIsMap {
				coalesceTables(dm, sm)
			} else if sIsMap && !dIsMap {
				fmt.Fprintf(os.Stderr, "coalesce.go: warning: destination for %s is a table. Ignoring non-table value (%v)\n", key, dv)
			}
		}
	}
}

func deepCopy(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	default:
		return v
	}
}

// validateValues checks the coalesced values against values.schema.json and reports every
// violation, each naming its field, in Helm's words.
func validateValues(c *chart, values map[string]interface{}) error {
	if c.Schema == nil {
		return nil
	}
	data, err := yaml.Marshal(values)
	if err != nil {
		return err
	}
	asJSON, err := yaml.YAMLToJSON(data)
	if err != nil {
		return err
	}
	if bytes.Equal(asJSON, []byte("null")) {
		asJSON = []byte("{}")
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(c.Schema), gojsonschema.NewBytesLoader(asJSON))
	if err != nil {
		return fmt.Errorf("unable to validate values against values.schema.json: %w", err)
	}
	if result.Valid() {
		return nil
	}
	var sb strings.Builder
	sb.WriteString("values don't meet the specifications of the schema(s) in the following chart(s):\n")
	sb.WriteString(c.Metadata.Name + ":\n")
	for _, desc := range result.Errors() {
		sb.WriteString(fmt.Sprintf("- %s\n", desc))
	}
	return fmt.Errorf("%s", sb.String())
}

// parseSet applies one --set argument (helm.sh/helm/v3/pkg/strvals syntax: a.b=c,list[0]=x,
// tags={a,b}, backslash escapes) to dst; values are typed unless asString.
func parseSet(s string, dst map[string]interface{}, asString bool) error {
	p := &setParser{src: []rune(s), asString: asString}
	for !p.done() {
		if err := p.pair(dst); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		if !p.done() {
			if p.src[p.pos] != ',' {
				return fmt.Errorf("expected ',' at offset %d", p.pos)
			}
			p.pos++
		}
	}
	return nil
}

type setParser struct {
	src      []rune
	pos      int
	asString bool
}

func (p *setParser) done() bool { return p.pos >= len(p.src) }

// until reads up to (not including) an unescaped rune from stops.
func (p *setParser) until(stops string) (string, rune) {
	var sb strings.Builder
	for !p.done() {
		r := p.src[p.pos]
		if r == '\\' && p.pos+1 < len(p.src) {
			sb.WriteRune(p.src[p.pos+1])
			p.pos += 2
			continue
		}
		if strings.ContainsRune(stops, r) {
			return sb.String(), r
		}
		sb.WriteRune(r)
		p.pos++
	}
	return sb.String(), 0
}

func (p *setParser) pair(dst map[string]interface{}) error {
	key, stop := p.until("=.[,")
	if key == "" {
		return fmt.Errorf("key is empty at offset %d", p.pos)
	}
	switch stop {
	case '=':
		p.pos++
		dst[key] = p.value()
		return nil
	case '.':
		p.pos++
		child, ok := dst[key].(map[string]interface{})
		if !ok {
			child = map[string]interface{}{}
			dst[key] = child
		}
		return p.pair(child)
	case '[':
		p.pos++
		idxText, closing := p.until("]")
		if closing != ']' {
			return fmt.Errorf("unterminated index for %s", key)
		}
		p.pos++
		idx, err := strconv.Atoi(idxText)
		if err != nil || idx < 0 {
			return fmt.Errorf("invalid index %q for %s", idxText, key)
		}
		list, _ := dst[key].([]interface{})
		for len(list) <= idx {
			list = append(list, nil)
		}
		if p.done() {
			return fmt.Errorf("key %s[%d] has no value", key, idx)
		}
		switch p.src[p.pos] {
		case '=':
			p.pos++
			list[idx] = p.value()
		case '.':
			p.pos++
			child, ok := list[idx].(map[string]interface{})
			if !ok {
				child = map[string]interface{}{}
			}
			if err := p.pair(child); err != nil {
				return err
			}
			list[idx] = child
		default:
			return fmt.Errorf("unexpected %q after %s[%d]", p.src[p.pos], key, idx)
		}
		dst[key] = list
		return nil
	default:
		return fmt.Errorf("key %q has no value", key)
	}
}

func (p *setParser) value() interface{} {
	if !p.done() && p.src[p.pos] == '{' {
		p.pos++
		var list []interface{}
		for {
			item, stop := p.until(",}")
			list = append(list, p.typed(item))
			p.pos++
			if stop != ',' {
				return list
			}
		}
	}
	v, _ := p.until(",")
	return p.typed(v)
}

func (p *setParser) typed(v string) interface{} {
	if p.asString {
		return v
	}
	switch {
	case strings.EqualFold(v, "true"):
		return true
	case strings.EqualFold(v, "false"):
		return false
	case strings.EqualFold(v, "null"):
		return nil
	case v == "0":
		return int64(0)
	case len(v) > 1 && v[0] == '0':
		return v
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	return v
}
