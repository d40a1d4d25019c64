/**
 * Deciding from a document's text (and its file name) which SPCS document it is, without parsing it.
 *
 * Owns: the text form of the questions "is this a service spec?" (a top-level `spec:` key with
 * `containers:`, or the legacy `container:`, directly below) and "is this a gateway spec?" (a top-level
 * `spec:` with `type: traffic_split` or `type: shadow_traffic` directly below), and the file names that
 * decide on their own: `snowflake.yml` (the Snowflake CLI's project definition, never a spec) and
 * `*.gateway.yaml`. The client asks the spec question of every YAML document that opens, during
 * activation, so it must be cheap and import nothing; the language server asks them of documents whose
 * YAML does not parse (a template that is not YAML until rendered, a file indented with tabs), where
 * the parsed tree cannot answer. For everything else the server decides from the tree
 * (`documentKind.ts`).
 *
 * Lines that hold only a template tag or placeholder (`{% if gpu %}`, `%{ for … ~}`, `${containers}`,
 * `{{ env_block }}`) are skipped: a template's conditionals often sit at the left margin.
 */

const maxLinesScanned = 400;

/**
 * File names of YAML templates, which editors open as plain text: `spec.yaml.tftpl` (Terraform
 * `templatefile`), `spec.yaml.j2` / `.jinja` / `.jinja2`, `spec.yml.tpl` / `.tmpl`, `spec.yaml.template`,
 * `spec.yaml.in`. Such a file whose text looks like a spec is checked as one.
 */
const yamlTemplateFileName = /\.ya?ml\.(?:tftpl|j2|jinja2?|tpl|tmpl|template|in)$/i;

export function isYamlTemplateFileName(path: string): boolean {
  return yamlTemplateFileName.test(path);
}

/** A line that is only a template statement or placeholder, in any dialect the server knows. */
const templateLine = /^\s*(?:\{%.*%\}|\{#.*#\}|%\{.*\}|<%.*%>|\{\{.*\}\}|\$\{.*\}|&\{.*\}|\{[A-Za-z_][\w.]*\}|__[A-Z][A-Z0-9_]*__)\s*$/;

export function looksLikeSpec(text: string): boolean {
  return specChildMatches(text, /^\s*containers?\s*:(\s|$)/);
}

/** `type: traffic_split` / `type: shadow_traffic` (quoted or not) directly below a top-level `spec:`. */
export function looksLikeGatewaySpec(text: string): boolean {
  return specChildMatches(text, /^\s*type\s*:\s*["']?(?:traffic_split|shadow_traffic)["']?\s*(?:#.*)?$/i);
}

/** The Snowflake CLI's project definition (`snowflake.yml`) and its local overrides (`snowflake.local.yml`). */
const projectDefinitionFileName = /(?:^|[/\\])snowflake(?:\.local)?\.ya?ml$/i;

/**
 * Whether a path or URI names a Snowflake CLI project definition: `snowflake.yml`, or the
 * `snowflake.local.yml` the CLI merges over it (`.yaml` too: such a file is not read by the CLI, and
 * is still never a service spec).
 */
export function isProjectDefinitionFileName(path: string): boolean {
  return projectDefinitionFileName.test(path);
}

/** Whether a path or URI names a gateway specification: `*.gateway.yaml` / `*.gateway.yml`. */
export function isGatewaySpecFileName(path: string): boolean {
  return /\.gateway\.ya?ml$/i.test(path);
}

/** Whether a line directly below a top-level `spec:` matches `child`. */
function specChildMatches(text: string, child: RegExp): boolean {
  const lines = text.split(/\r?\n/, maxLinesScanned);
  // Specs embedded in SQL or Markdown are often indented as a whole: the first key sets the level.
  let topIndent: number | undefined;
  let inSpec = false;
  let childIndent: number | undefined;
  for (const line of lines) {
    if (/^\s*(#.*)?$/.test(line) || line.startsWith('---') || templateLine.test(line)) {
      continue;
    }
    const indent = line.length - line.trimStart().length;
    topIndent ??= indent;
    if (indent <= topIndent) {
      inSpec = /^\s*spec\s*:\s*(#.*)?$/.test(line);
      childIndent = undefined;
      continue;
    }
    if (!inSpec) {
      continue;
    }
    childIndent ??= indent;
    if (indent === childIndent && child.test(line)) {
      return true;
    }
  }
  return false;
}
