/** Stylesheets imported by the webview bundle: esbuild writes them to dist/webview/metricsView.css. */
declare module '*.css';
