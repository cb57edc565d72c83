{{/* Names: <release> when it already contains the chart name, else <release>-<chart>. */}}
{{- define "edgeplane.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "edgeplane.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := .Values.nameOverride | default .Chart.Name }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "edgeplane.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels; pass (dict "ctx" $ "component" "server"). */}}
{{- define "edgeplane.labels" -}}
helm.sh/chart: {{ include "edgeplane.chart" .ctx }}
{{ include "edgeplane.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Values.image.tag | default .ctx.Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: edgeplane
{{- end }}

{{- define "edgeplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "edgeplane.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "edgeplane.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "edgeplane.fullname" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}

{{/* An image reference; pass the image values (repository, tag, digest) and a default tag. */}}
{{- define "edgeplane.imageRef" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (.image.tag | default .defaultTag) }}
{{- end }}
{{- end }}

{{- define "edgeplane.image" -}}
{{- include "edgeplane.imageRef" (dict "image" .Values.image "defaultTag" .Chart.AppVersion) }}
{{- end }}

{{/* The Secret holding the app's secret settings: yours (existingSecret) or the chart's. */}}
{{- define "edgeplane.secretName" -}}
{{- .Values.existingSecret | default (include "edgeplane.fullname" .) }}
{{- end }}

{{- define "edgeplane.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "edgeplane.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "edgeplane.postgresql.secretName" -}}
{{- .Values.postgresql.auth.existingSecret | default (include "edgeplane.postgresql.fullname" .) }}
{{- end }}

{{- define "edgeplane.redis.fullname" -}}
{{- printf "%s-redis" (include "edgeplane.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "edgeplane.redis.secretName" -}}
{{- .Values.redis.auth.existingSecret | default (include "edgeplane.redis.fullname" .) }}
{{- end }}

{{/*
A secret value that is stable across upgrades without living in Git: the value given,
else the one already stored in the cluster (lookup), else a new random one. `helm
template` (and Argo CD) cannot look up, so GitOps installs give values or existingSecret.
Pass (dict "ctx" $ "secret" <Secret name> "key" <key> "given" <value> "prefix" <text>).
*/}}
{{- define "edgeplane.stableSecret" -}}
{{- if .given }}
{{- .given }}
{{- else }}
{{- $stored := lookup "v1" "Secret" .ctx.Release.Namespace .secret | default dict }}
{{- $old := dig "data" .key "" $stored }}
{{- if $old }}
{{- $old | b64dec }}
{{- else }}
{{- printf "%s%s" .prefix (randAlphaNum 48) }}
{{- end }}
{{- end }}
{{- end }}

{{/* An environment value as a string: whole numbers print without an exponent. */}}
{{- define "edgeplane.envValue" -}}
{{- if and (kindIs "float64" .) (eq . (float64 (int64 .))) }}
{{- int64 . }}
{{- else }}
{{- . }}
{{- end }}
{{- end }}

{{/*
True (non-empty) when the chart runs migrations as a Helm hook. Not while a CloudNativePG
Cluster is recovered: the Cluster of the new name exists only after the upgrade's hooks, so
its app migrates at start instead.
*/}}
{{- define "edgeplane.migrations.hook" -}}
{{- $recovering := and (eq .Values.postgresql.mode "cloudnative-pg") .Values.postgresql.cloudnativePg.recovery.enabled }}
{{- if and .Values.migrations.enabled (not $recovering) }}true{{ end }}
{{- end }}

{{/* The database mode (postgresql.mode): statefulset, cloudnative-pg or external. */}}
{{- define "edgeplane.postgresql.mode" -}}
{{- .Values.postgresql.mode }}
{{- end }}

{{/* True (non-empty) when the chart runs the database in the cluster (statefulset or cloudnative-pg). */}}
{{- define "edgeplane.postgresql.inCluster" -}}
{{- if ne .Values.postgresql.mode "external" }}true{{ end }}
{{- end }}

{{/* The CloudNativePG Cluster's name: its -rw Service and -app Secret carry it. */}}
{{- define "edgeplane.cnpg.clusterName" -}}
{{- .Values.postgresql.cloudnativePg.clusterName | default (include "edgeplane.postgresql.fullname" .) }}
{{- end }}

{{- define "edgeplane.cnpg.objectStoreName" -}}
{{- printf "%s-backups" (include "edgeplane.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Barman Cloud plugin, as the operator knows it. */}}
{{- define "edgeplane.cnpg.barmanPlugin" -}}
barman-cloud.cloudnative-pg.io
{{- end }}

{{/*
How long the app and the migration Job wait for the database (DATABASE_WAIT_SECONDS): the
value of config, else, with CloudNativePG, long enough for a new Cluster to bootstrap
(image pulls, initdb, the first primary); empty leaves the app's default.
*/}}
{{- define "edgeplane.databaseWaitSeconds" -}}
{{- $given := index .Values.config "DATABASE_WAIT_SECONDS" }}
{{- if not (eq (toString ($given | default "")) "") }}
{{- include "edgeplane.envValue" $given }}
{{- else if eq .Values.postgresql.mode "cloudnative-pg" }}600
{{- end }}
{{- end }}

{{/*
Env entries that point the app (and its Jobs) at the in-cluster Postgres/Redis. The
StatefulSet's password comes from its Secret, and Kubernetes expands $(VAR) in later
entries; CloudNativePG's Secret (<cluster>-app) holds the whole URL of the read-write
Service, with the password it generated.
*/}}
{{- define "edgeplane.postgresEnv" -}}
{{- if eq .Values.postgresql.mode "statefulset" }}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "edgeplane.postgresql.secretName" . }}
      key: password
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(POSTGRES_PASSWORD)@%s:5432/%s" .Values.postgresql.auth.username (include "edgeplane.postgresql.fullname" .) .Values.postgresql.auth.database | quote }}
{{- else if eq .Values.postgresql.mode "cloudnative-pg" }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ printf "%s-app" (include "edgeplane.cnpg.clusterName" .) }}
      key: uri
{{- end }}
{{- end }}

{{- define "edgeplane.redisEnv" -}}
{{- if .Values.redis.enabled }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "edgeplane.redis.secretName" . }}
      key: password
- name: REDIS_URL
  value: {{ printf "redis://:$(REDIS_PASSWORD)@%s:6379" (include "edgeplane.redis.fullname" .) | quote }}
{{- end }}
{{- end }}

{{/* DATABASE_URL for a Job: in-cluster Postgres, else the key of the app's Secret. */}}
{{- define "edgeplane.jobDatabaseEnv" -}}
{{- if include "edgeplane.postgresql.inCluster" .ctx }}
{{- include "edgeplane.postgresEnv" .ctx }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: DATABASE_URL
{{- end }}
{{- end }}

{{/* The restricted-profile container securityContext, with the user of the image. */}}
{{- define "edgeplane.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser | int64 }}
runAsGroup: {{ .runAsGroup | int64 }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "edgeplane.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser | int64 }}
runAsGroup: {{ .runAsGroup | int64 }}
fsGroup: {{ .fsGroup | int64 }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Fails early on combinations the schema cannot express. */}}
{{- define "edgeplane.validate" -}}
{{- $mode := .Values.postgresql.mode }}
{{- if and (ne $mode "external") .Values.secrets.DATABASE_URL }}
{{- fail (printf "postgresql.mode=%s and secrets.DATABASE_URL both choose a database: set postgresql.mode=external to use the URL, or leave it empty" $mode) }}
{{- end }}
{{- if and (eq $mode "external") (not .Values.secrets.DATABASE_URL) (not .Values.existingSecret) }}
{{- fail "postgresql.mode=external needs a database: set secrets.DATABASE_URL, or existingSecret (a Secret with a DATABASE_URL key)" }}
{{- end }}
{{- if eq $mode "cloudnative-pg" }}
{{- $cnpg := .Values.postgresql.cloudnativePg }}
{{- if and $cnpg.recovery.enabled (not $cnpg.backup.enabled) }}
{{- fail "postgresql.cloudnativePg.recovery reads the object store of postgresql.cloudnativePg.backup: set backup.enabled=true with the source's destinationPath and credentials" }}
{{- end }}
{{- if and $cnpg.recovery.enabled (eq $cnpg.recovery.sourceClusterName (include "edgeplane.cnpg.clusterName" .)) }}
{{- fail "postgresql.cloudnativePg.recovery: give the recovered Cluster a new clusterName (it archives under its own name; the source's archive must stay as it is)" }}
{{- end }}
{{- if and $cnpg.synchronous.enabled (ge ($cnpg.synchronous.number | int) ($cnpg.instances | int)) }}
{{- fail "postgresql.cloudnativePg.synchronous.number must be below instances (the primary does not count)" }}
{{- end }}
{{- end }}
{{- if and .Values.redis.enabled (or .Values.secrets.REDIS_URL (index .Values.config "UPSTASH_REDIS_REST_URL")) }}
{{- fail "redis.enabled and secrets.REDIS_URL / config.UPSTASH_REDIS_REST_URL both choose a key-value store: set one of them" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (.Values.autoscaling.minReplicas | int) (.Values.autoscaling.maxReplicas | int)) }}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled .Values.podDisruptionBudget.minAvailable .Values.podDisruptionBudget.maxUnavailable }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both" }}
{{- end }}
{{- end }}

{{/* Egress to the database: the in-cluster Postgres pods (StatefulSet or CloudNativePG instances), else the configured CIDRs on 5432. */}}
{{- define "edgeplane.databaseEgress" -}}
{{- if eq .Values.postgresql.mode "statefulset" }}
- to:
    - podSelector:
        matchLabels:
          {{- include "edgeplane.selectorLabels" (dict "ctx" . "component" "postgresql") | nindent 10 }}
  ports:
    - port: 5432
      protocol: TCP
{{- else if eq .Values.postgresql.mode "cloudnative-pg" }}
- to:
    - podSelector:
        matchLabels:
          cnpg.io/cluster: {{ include "edgeplane.cnpg.clusterName" . }}
  ports:
    - port: 5432
      protocol: TCP
{{- else }}
- to:
    {{- range .Values.networkPolicy.databaseCIDRs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    - port: 5432
      protocol: TCP
{{- end }}
{{- end }}

{{/* The pod of the backup claim Job (templates/backup/claim-job.yaml). */}}
{{- define "edgeplane.backupClaimPod" -}}
{{- $backup := .Values.backup -}}
metadata:
  labels:
    {{- include "edgeplane.labels" (dict "ctx" . "component" "backup") | nindent 4 }}
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- include "edgeplane.podSecurityContext" $backup.podSecurityContext | nindent 4 }}
  containers:
    - name: check
      image: {{ include "edgeplane.imageRef" (dict "image" $backup.image "defaultTag" "17-alpine") }}
      imagePullPolicy: {{ $backup.image.pullPolicy }}
      command: [sh, -c, 'test -w /backups && echo "backup volume bound and writable"']
      resources:
        requests:
          cpu: 10m
          memory: 16Mi
        limits:
          cpu: 100m
          memory: 64Mi
      securityContext:
        {{- include "edgeplane.containerSecurityContext" $backup.podSecurityContext | nindent 8 }}
      volumeMounts:
        - name: backups
          mountPath: /backups
  volumes:
    - name: backups
      persistentVolumeClaim:
        claimName: {{ include "edgeplane.fullname" . }}-backups
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
