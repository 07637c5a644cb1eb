// The renderer's whole view of the main process: one function per call of the contract, and events.
// No ipcRenderer, no Node: the page gets exactly these functions and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { callNames, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../common/ipc/contract'

const calls = Object.fromEntries(
  callNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, input)])
)

contextBridge.exposeInMainWorld('radlabel', {
  calls,
  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    const wrapped = (_e: unknown, message: { event: string; payload: unknown }): void => listener(message.event, message.payload)
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped)
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped)
  },
  /** Path of a file dropped on the window (Electron no longer exposes File.path). */
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file)
  }
})

// A file dropped anywhere the page does not handle it must not navigate the window to it (the window
// would show that file; the main process refuses such navigation too). The Import page handles its
// own drops; everywhere else, dragover and drop do nothing.
// (The preload is typed without the DOM library: the one DOM call it makes is typed here.)
const page = globalThis as unknown as { addEventListener(type: string, listener: (event: { preventDefault(): void }) => void): void }
for (const type of ['dragover', 'drop']) {
  page.addEventListener(type, (event) => event.preventDefault())
}
