/**
 * The marker for markdown that VS Code renders (MarkdownString tooltips, hovers) but that is built
 * apart from the `new MarkdownString(…)` that wraps it, such as the trees' tooltips (views/presentation.ts,
 * wrapped by views/treeItems.ts): `` markdown`**Compute pool** \`${name}\`` ``. It returns the text as
 * written. Messages shown as plain text (notifications, QuickPicks, output channels, tree descriptions)
 * never use it and quote names as 'name': test/client/plainTextMessages.test.ts refuses a backtick in
 * any client string that is not an argument of MarkdownString/appendMarkdown or tagged `markdown`.
 */

export function markdown(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  return String.raw({ raw: strings }, ...values);
}
