/**
 * Deciding from a document's text whether it is an SPCS service specification, without parsing it.
 *
 * Owns: the text form of the question "is this a spec?": a top-level `spec:` key with `containers:`
 * (or the legacy `container:`) directly below. The client asks it of every YAML document that opens,
 * during activation, so it must be cheap and import nothing; the language server asks it of documents
 * whose YAML does not parse (a template that is not YAML until rendered, a file indented with tabs),
 * where the parsed tree cannot answer. For everything else the server decides from the tree.
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
    if (indent === childIndent && /^\s*containers?\s*:(\s|$)/.test(line)) {
      return true;
    }
  }
  return false;
}
