// Charts as self-contained SVG strings (no DOM, no fonts or scripts fetched), shared by the HTML
// report and the evaluation screen. Every text is escaped; sizes are in CSS pixels and scale when printed.

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Okabe-Ito palette: distinguishable with colour-vision deficiency and in greyscale print. */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000']

export interface IntervalPoint {
  value: number | null
  low?: number | null
  high?: number | null
}

export interface IntervalSeries {
  name: string
  values: Array<IntervalPoint | null>
}

const fmt = (v: number): string => v.toFixed(2)

/**
 * Horizontal grouped bars on a 0..1 axis with interval whiskers: one row per category (e.g. label), one
 * bar per series (e.g. source). Undefined values are drawn as "n/a" rather than as a zero bar.
 */
export function intervalBarChart(opts: {
  title: string
  categories: string[]
  series: IntervalSeries[]
  width?: number
  axisLabel?: string
}): string {
  const width = opts.width ?? 720
  const labelW = Math.min(200, 12 + 7 * Math.max(4, ...opts.categories.map((c) => c.length)))
  const valueW = 44
  const plotW = width - labelW - valueW - 16
  const barH = 12
  const groupGap = 8
  const S = Math.max(1, opts.series.length)
  const groupH = S * barH + groupGap
  const legendH = opts.series.length > 1 ? 20 : 0
  const top = 28 + legendH
  const height = top + opts.categories.length * groupH + 30
  const x = (v: number) => labelW + Math.max(0, Math.min(1, v)) * plotW
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(opts.title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${escapeXml(opts.title)}</title>`,
    `<text x="0" y="14" font-size="13" font-weight="600">${escapeXml(opts.title)}</text>`
  )
  if (legendH) {
    let lx = 0
    opts.series.forEach((s, i) => {
      parts.push(
        `<rect x="${lx}" y="${24}" width="10" height="10" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"/>`,
        `<text x="${lx + 14}" y="${33}">${escapeXml(s.name)}</text>`
      )
      lx += 24 + 7 * s.name.length
    })
  }
  const plotBottom = top + opts.categories.length * groupH
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${plotBottom}" stroke="#ddd"/>`,
      `<text x="${x(t)}" y="${plotBottom + 12}" text-anchor="middle" fill="#555">${t}</text>`
    )
  }
  if (opts.axisLabel) {
    parts.push(`<text x="${labelW + plotW / 2}" y="${plotBottom + 26}" text-anchor="middle" fill="#555">${escapeXml(opts.axisLabel)}</text>`)
  }
  opts.categories.forEach((cat, c) => {
    const gy = top + c * groupH
    parts.push(`<text x="${labelW - 6}" y="${gy + (S * barH) / 2 + 4}" text-anchor="end">${escapeXml(cat)}</text>`)
    opts.series.forEach((s, i) => {
      const p = s.values[c]
      const y = gy + i * barH
      const colour = SERIES_COLOURS[i % SERIES_COLOURS.length]
      if (!p || p.value === null) {
        parts.push(`<text x="${labelW + 4}" y="${y + barH - 2}" fill="#888">n/a</text>`)
        return
      }
      const tip = `${s.name} ${cat}: ${fmt(p.value)}` + (p.low != null && p.high != null ? ` (95% CI ${fmt(p.low)}-${fmt(p.high)})` : '')
      parts.push(
        `<rect x="${labelW}" y="${y + 1}" width="${Math.max(0.5, x(p.value) - labelW)}" height="${barH - 2}" fill="${colour}" fill-opacity="0.75"><title>${escapeXml(tip)}</title></rect>`
      )
      if (p.low != null && p.high != null) {
        const cy = y + barH / 2
        parts.push(
          `<line x1="${x(p.low)}" y1="${cy}" x2="${x(p.high)}" y2="${cy}" stroke="#222" stroke-width="1.2"/>`,
          `<line x1="${x(p.low)}" y1="${cy - 3}" x2="${x(p.low)}" y2="${cy + 3}" stroke="#222"/>`,
          `<line x1="${x(p.high)}" y1="${cy - 3}" x2="${x(p.high)}" y2="${cy + 3}" stroke="#222"/>`
        )
      }
      parts.push(`<text x="${labelW + plotW + 6}" y="${y + barH - 2}">${fmt(p.value)}</text>`)
    })
  })
  parts.push('</svg>')
  return parts.join('')
}

/** Forest plot of differences (source minus baseline) with intervals around a zero line. */
export function differenceChart(opts: {
  title: string
  rows: Array<{ name: string; value: number | null; low: number | null; high: number | null }>
  width?: number
}): string {
  const width = opts.width ?? 720
  const labelW = Math.min(240, 12 + 7 * Math.max(4, ...opts.rows.map((r) => r.name.length)))
  const plotW = width - labelW - 70
  const rowH = 18
  const top = 28
  const height = top + opts.rows.length * rowH + 28
  const finite = opts.rows.flatMap((r) => [r.value, r.low, r.high]).filter((v): v is number => v !== null)
  const span = Math.max(0.05, ...finite.map((v) => Math.abs(v)))
  const lim = Math.ceil(span * 20) / 20
  const x = (v: number) => labelW + ((v + lim) / (2 * lim)) * plotW
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(opts.title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${escapeXml(opts.title)}</title>`,
    `<text x="0" y="14" font-size="13" font-weight="600">${escapeXml(opts.title)}</text>`
  ]
  const bottom = top + opts.rows.length * rowH
  for (const t of [-lim, -lim / 2, 0, lim / 2, lim]) {
    parts.push(
      `<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${bottom}" stroke="${t === 0 ? '#444' : '#ddd'}"/>`,
      `<text x="${x(t)}" y="${bottom + 12}" text-anchor="middle" fill="#555">${t > 0 ? '+' : ''}${t.toFixed(2)}</text>`
    )
  }
  opts.rows.forEach((r, i) => {
    const cy = top + i * rowH + rowH / 2
    parts.push(`<text x="${labelW - 6}" y="${cy + 4}" text-anchor="end">${escapeXml(r.name)}</text>`)
    if (r.value === null) {
      parts.push(`<text x="${x(0) + 4}" y="${cy + 4}" fill="#888">n/a</text>`)
      return
    }
    const sig = r.low !== null && r.high !== null && (r.low > 0 || r.high < 0)
    const colour = sig ? (r.value > 0 ? '#009E73' : '#D55E00') : '#555'
    if (r.low !== null && r.high !== null) {
      parts.push(`<line x1="${x(r.low)}" y1="${cy}" x2="${x(r.high)}" y2="${cy}" stroke="${colour}" stroke-width="1.5"/>`)
    }
    parts.push(
      `<circle cx="${x(r.value)}" cy="${cy}" r="3.5" fill="${colour}"/>`,
      `<text x="${labelW + plotW + 8}" y="${cy + 4}">${r.value > 0 ? '+' : ''}${fmt(r.value)}</text>`
    )
  })
  parts.push('</svg>')
  return parts.join('')
}

/** Small multiples: one 2x2 confusion matrix per label (rows: reference +/-, columns: prediction +/-). */
export function confusionGrid(opts: {
  title: string
  cells: Array<{ label: string; tp: number; fp: number; fn: number; tn: number }>
  columns?: number
}): string {
  const cols = opts.columns ?? 4
  const cell = 40
  const boxW = 2 * cell + 60
  const boxH = 2 * cell + 42
  const rows = Math.ceil(opts.cells.length / cols)
  const width = cols * boxW
  const height = 24 + rows * boxH
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(opts.title)}" font-family="system-ui, sans-serif" font-size="10">`,
    `<title>${escapeXml(opts.title)}</title>`,
    `<text x="0" y="14" font-size="13" font-weight="600">${escapeXml(opts.title)}</text>`
  ]
  opts.cells.forEach((c, i) => {
    const ox = (i % cols) * boxW + 30
    const oy = 24 + Math.floor(i / cols) * boxH
    const name = c.label.length > 22 ? c.label.slice(0, 21) + '…' : c.label
    parts.push(`<text x="${ox + cell}" y="${oy + 12}" text-anchor="middle" font-weight="600">${escapeXml(name)}</text>`)
    // Shade by share of the reference row so rare labels stay readable.
    const posRow = c.tp + c.fn
    const negRow = c.fp + c.tn
    const quad: Array<[number, number, number, number, string, string]> = [
      [0, 0, c.tp, posRow, 'TP', '#009E73'],
      [1, 0, c.fn, posRow, 'FN', '#D55E00'],
      [0, 1, c.fp, negRow, 'FP', '#D55E00'],
      [1, 1, c.tn, negRow, 'TN', '#009E73']
    ]
    for (const [qx, qy, v, tot, name2, colour] of quad) {
      const share = tot === 0 ? 0 : v / tot
      const x0 = ox + qx * cell
      const y0 = oy + 18 + qy * cell
      parts.push(
        `<rect x="${x0}" y="${y0}" width="${cell}" height="${cell}" fill="${colour}" fill-opacity="${(0.08 + 0.6 * share).toFixed(2)}" stroke="#fff"><title>${escapeXml(`${c.label} ${name2}: ${v}`)}</title></rect>`,
        `<text x="${x0 + cell / 2}" y="${y0 + 16}" text-anchor="middle" fill="#333">${name2}</text>`,
        `<text x="${x0 + cell / 2}" y="${y0 + 30}" text-anchor="middle" font-weight="600">${v}</text>`
      )
    }
    parts.push(
      `<text x="${ox - 4}" y="${oy + 18 + cell / 2 + 3}" text-anchor="end" fill="#555">ref+</text>`,
      `<text x="${ox - 4}" y="${oy + 18 + cell * 1.5 + 3}" text-anchor="end" fill="#555">ref−</text>`,
      `<text x="${ox + cell / 2}" y="${oy + 18 + 2 * cell + 11}" text-anchor="middle" fill="#555">pred+</text>`,
      `<text x="${ox + cell * 1.5}" y="${oy + 18 + 2 * cell + 11}" text-anchor="middle" fill="#555">pred−</text>`
    )
  })
  parts.push('</svg>')
  return parts.join('')
}
