// Command helm-render renders a Helm chart the way `helm template` does, for machines where
// the helm binary cannot be installed: Go's text/template with the sprig functions and Helm's
// own (include, tpl, required, toYaml, fromYaml, toJson, lookup, …), values coalesced from the
// chart's values.yaml, -f files and --set flags, checked against values.schema.json with the
// JSON Schema library Helm 3 used (gojsonschema). It is built from Debian's Go packages in
// GOPATH mode (see STACK-NOTES.md); prefer the real helm binary wherever it exists.
//
//	helm-render [--name R] [--namespace N] [-f values.yaml]… [--set k=v]… [--strict] [--notes] CHART
package main

import (
	"flag"
	"fmt"
	"os"
)

type listFlag []string

func (l *listFlag) String() string     { return fmt.Sprint(*l) }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "Error: %s\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("helm-render", flag.ContinueOnError)
	var valueFiles, sets, setStrings, apiVersions listFlag
	fs.Var(&valueFiles, "f", "values file (repeatable; later files win)")
	fs.Var(&valueFiles, "values", "values file (repeatable; later files win)")
	fs.Var(&sets, "set", "set a value: a.b=c,d[0]=e (repeatable)")
	fs.Var(&setStrings, "set-string", "set a value, always as a string (repeatable)")
	fs.Var(&apiVersions, "api-versions", "an extra API version for .Capabilities.APIVersions (repeatable)")
	name := fs.String("name", "release-name", "release name")
	namespace := fs.String("namespace", "default", "release namespace")
	kubeVersion := fs.String("kube-version", "v1.31.0", "Kubernetes version for .Capabilities.KubeVersion")
	isUpgrade := fs.Bool("is-upgrade", false, "render as an upgrade (.Release.IsUpgrade)")
	strict := fs.Bool("strict", false, "fail on references to missing values, as `helm lint --strict` does")
	notes := fs.Bool("notes", false, "print the rendered NOTES.txt instead of the manifests")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("expected exactly one chart directory, got %d arguments", fs.NArg())
	}

	chart, err := loadChart(fs.Arg(0))
	if err != nil {
		return err
	}
	caps, err := newCapabilities(*kubeVersion, apiVersions)
	if err != nil {
		return err
	}
	if err := checkKubeVersion(chart.Metadata, caps); err != nil {
		return err
	}
	user, err := userValues(valueFiles, sets, setStrings)
	if err != nil {
		return err
	}
	values := coalesceValues(chart.Values, user)
	if err := validateValues(chart, values); err != nil {
		return err
	}

	top := map[string]interface{}{
		"Values":       values,
		"Chart":        chart.Metadata,
		"Files":        chart.Files,
		"Capabilities": caps,
		"Release": map[string]interface{}{
			"Name":      *name,
			"Namespace": *namespace,
			"IsUpgrade": *isUpgrade,
			"IsInstall": !*isUpgrade,
			"Revision":  1,
			"Service":   "Helm",
		},
	}
	rendered, err := render(chart, top, *strict)
	if err != nil {
		return err
	}
	if *notes {
		fmt.Print(rendered[chart.Metadata.Name+"/templates/NOTES.txt"])
		return nil
	}
	return writeManifests(os.Stdout, rendered)
}
