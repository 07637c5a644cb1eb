// Dropping a file on a page that does not take drops must not navigate away to the file (in the
// desktop app the preload and the main process also stop it; in a browser this keeps the tab on the app).
export function preventDropNavigation(target: Window = window): void {
  for (const type of ['dragover', 'drop'] as const) {
    target.addEventListener(type, (event) => event.preventDefault())
  }
}
