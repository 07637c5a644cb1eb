// A folder of .txt reports (recursive, sorted so re-runs see the same order), or one .txt file.
// The MIMIC-CXR layout files/pNN/pNNNNNNNN/sNNNNNNNN.txt gives patient and study ids.
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join, relative, sep } from 'node:path'
import { binaryReason, decodeBuffer, REPLACEMENT_CHAR } from './decode'
import { DEFAULT_MAX_REPORT_CHARS, ImportFileError, clipRaw, type ReaderItem, type ReadOptions, type RecordSource } from './types'

export const TXT_FIELDS = ['id', 'text', 'file', 'patient_id', 'study_id']
const MIMIC_RE = /(?:^|\/)p(\d{2})\/p(\d{8})\/s(\d{8})\.txt$/i

export function mimicIds(relPath: string): { patientId: string; studyId: string } | undefined {
  const m = MIMIC_RE.exec(relPath.split(sep).join('/'))
  if (!m || !m[2].startsWith(m[1])) return undefined
  return { patientId: m[2], studyId: m[3] }
}

interface Listing {
  files: Array<{ path: string; size: number }>
  ignored: number
}

async function walk(root: string, listing: Listing): Promise<void> {
  const entries = await readdir(root, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const p = join(root, e.name)
    if (e.isDirectory()) await walk(p, listing)
    else if (e.isFile() && e.name.toLowerCase().endsWith('.txt')) listing.files.push({ path: p, size: 0 })
    else if (e.isFile() && !e.name.startsWith('.')) listing.ignored++
  }
}

/** File sizes (for byte progress), many stats in flight: a MIMIC-size tree has hundreds of thousands. */
async function sizeFiles(files: Listing['files']): Promise<void> {
  const PARALLEL = 128
  for (let i = 0; i < files.length; i += PARALLEL) {
    await Promise.all(
      files.slice(i, i + PARALLEL).map(async (f) => {
        f.size = (await stat(f.path)).size
      })
    )
  }
}

export async function openTxtDir(path: string, opts: ReadOptions = {}, mimic?: boolean): Promise<RecordSource> {
  const st = await stat(path)
  const listing: Listing = { files: [], ignored: 0 }
  const root = st.isDirectory() ? path : join(path, '..')
  if (st.isDirectory()) {
    await walk(path, listing)
    await sizeFiles(listing.files)
  } else listing.files.push({ path, size: st.size })
  if (listing.files.length === 0) {
    throw new ImportFileError(
      path,
      `no .txt files in this folder${listing.ignored ? ` (${listing.ignored} other files ignored)` : ''}.`,
      'Choose a folder that contains one .txt file per report.'
    )
  }
  const rel = (p: string) => relative(root, p).split(sep).join('/')
  const isMimic = mimic ?? listing.files.some((f) => mimicIds(rel(f.path)) !== undefined)
  const notes: string[] = []
  if (listing.ignored) notes.push(`${listing.ignored} files that are not .txt were ignored`)
  let read = 0
  return {
    info: {
      path,
      format: isMimic ? 'mimic' : 'txt-dir',
      notes,
      fields: TXT_FIELDS,
      totalBytes: listing.files.reduce((a, f) => a + f.size, 0)
    },
    bytesRead: () => read,
    async *batches() {
      read = 0
      const skip = opts.skip ?? 0
      let batch: ReaderItem[] = []
      const encodingsSeen = new Set<string>()
      for (let i = 0; i < listing.files.length; i++) {
        const f = listing.files[i]
        read += f.size
        if (i < skip) continue
        const r = rel(f.path)
        const loc = { file: f.path, record: i + 1 }
        // UTF-8 needs at most 4 bytes a character: a larger file cannot be under the cap.
        const maxBytes = (opts.maxReportChars ?? DEFAULT_MAX_REPORT_CHARS) * 4 + 4
        let buf: Buffer | undefined
        if (f.size > maxBytes) {
          batch.push({
            kind: 'error',
            code: 'malformed',
            reason: `${r}: the file is ${f.size} bytes, too large to be one report (limit ${opts.maxReportChars ?? DEFAULT_MAX_REPORT_CHARS} characters; --max-report-chars)`,
            loc
          })
        } else {
          try {
            buf = await readFile(f.path)
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code
            batch.push({
              kind: 'error',
              code: 'malformed',
              reason:
                `${r}: the file cannot be read (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? (err as Error).message}); ` +
                'fix its permissions and import the folder again: the rest of the folder is imported and the re-run continues this batch',
              loc
            })
          }
        }
        const binary = buf ? binaryReason(buf) : undefined
        if (buf && binary) {
          batch.push({ kind: 'error', code: 'not_a_report', reason: `${r}: ${binary}; skipped`, loc })
        } else if (buf) {
          const { text, guess } = decodeBuffer(buf, opts.encoding)
          if (guess.note && !encodingsSeen.has(guess.encoding)) {
            encodingsSeen.add(guess.encoding)
            notes.push(`${r}: ${guess.note}`)
          }
          const ids = mimicIds(r)
          if (isMimic && !ids) {
            batch.push({
              kind: 'error',
              code: 'malformed',
              reason: `${r} is not in the MIMIC-CXR layout pNN/pNNNNNNNN/sNNNNNNNN.txt; import the folder as plain text files instead`,
              loc,
              raw: clipRaw(text)
            })
          } else if (guess.encoding !== 'windows-1252' && text.includes(REPLACEMENT_CHAR)) {
            batch.push({
              kind: 'error',
              code: 'undecodable',
              reason: `contains bytes that are not valid ${guess.encoding.toUpperCase()}; re-save it as UTF-8 or choose the Windows-1252 encoding`,
              loc,
              raw: clipRaw(text)
            })
          } else {
            const id = isMimic && ids ? ids.studyId : st.isDirectory() ? r.replace(/\.txt$/i, '') : basename(r).replace(/\.txt$/i, '')
            batch.push({
              kind: 'record',
              fields: { id, text, file: r, patient_id: ids?.patientId ?? '', study_id: ids?.studyId ?? '' },
              loc
            })
          }
        }
        if (batch.length >= 256) {
          yield batch
          batch = []
        }
      }
      if (batch.length) yield batch
    }
  }
}
