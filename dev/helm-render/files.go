package main

import (
	"encoding/base64"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/Masterminds/semver"
	"github.com/gobwas/glob"
)

// files is `.Files`: the chart's non-template files, with the methods Helm gives them.
type files map[string][]byte

func (f files) GetBytes(name string) []byte { return f[name] }
func (f files) Get(name string) string      { return string(f.GetBytes(name)) }

// Glob matches with gobwas/glob and '/' as the separator, as Helm does.
func (f files) Glob(pattern string) files {
	g, err := glob.Compile(pattern, '/')
	if err != nil {
		g, _ = glob.Compile("**")
	}
	out := files{}
	for name, data := range f {
		if g.Match(name) {
			out[name] = data
		}
	}
	return out
}

func (f files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(string(f[name]), "\n")
}

func (f files) sortedNames() []string {
	names := make([]string, 0, len(f))
	for name := range f {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (f files) AsConfig() string {
	m := map[string]string{}
	for _, name := range f.sortedNames() {
		m[path.Base(name)] = string(f[name])
	}
	return toYAML(m)
}

func (f files) AsSecrets() string {
	m := map[string]string{}
	for _, name := range f.sortedNames() {
		m[path.Base(name)] = base64.StdEncoding.EncodeToString(f[name])
	}
	return toYAML(m)
}

// KubeVersion, VersionSet and Capabilities mirror helm.sh/helm/v3/pkg/chartutil.
type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

func (kv *KubeVersion) String() string     { return kv.Version }
func (kv *KubeVersion) GitVersion() string { return kv.Version }

type VersionSet []string

func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

type HelmVersion struct {
	Version      string
	GitCommit    string
	GitTreeState string
	GoVersion    string
}

type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
	HelmVersion HelmVersion
}

// builtinAPIVersions are the group/versions (and group/version/Kind forms) a current
// Kubernetes serves for the kinds charts commonly guard on.
var builtinAPIVersions = []string{
	"v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v1", "autoscaling/v2",
	"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
	"apps/v1/Deployment", "apps/v1/StatefulSet", "batch/v1/Job", "batch/v1/CronJob",
	"policy/v1/PodDisruptionBudget", "autoscaling/v2/HorizontalPodAutoscaler",
	"networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/NetworkPolicy",
}

func newCapabilities(kubeVersion string, extra []string) (*Capabilities, error) {
	v, err := semver.NewVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("invalid --kube-version %q: %w", kubeVersion, err)
	}
	return &Capabilities{
		KubeVersion: KubeVersion{
			Version: "v" + v.String(),
			Major:   fmt.Sprint(v.Major()),
			Minor:   fmt.Sprint(v.Minor()),
		},
		APIVersions: append(append(VersionSet{}, builtinAPIVersions...), extra...),
		HelmVersion: HelmVersion{Version: "v3.16.0", GoVersion: "helm-render"},
	}, nil
}

// checkKubeVersion enforces Chart.yaml's kubeVersion constraint, as `helm template` does.
func checkKubeVersion(m *Metadata, caps *Capabilities) error {
	if m.KubeVersion == "" {
		return nil
	}
	c, err := semver.NewConstraint(m.KubeVersion)
	if err != nil {
		return fmt.Errorf("invalid kubeVersion %q in Chart.yaml: %w", m.KubeVersion, err)
	}
	v, _ := semver.NewVersion(caps.KubeVersion.Version)
	if !c.Check(v) {
		return fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", m.KubeVersion, caps.KubeVersion.Version)
	}
	return nil
}
