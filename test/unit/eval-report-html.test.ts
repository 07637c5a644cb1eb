import { describe, expect, it } from 'vitest'
import { alignLabels, compareSources, agreement, matrixFromRows } from '../../src/common/eval'
import { renderEvaluationHtml, type EvaluationReportInput } from '../../src/node/eval/report-html'

const labels = ['Edema', 'Pleural Effusion']
const ref = matrixFromRows(labels, [
  { Edema: 'positive' },
  { 'Pleural Effusion': 'positive' },
  { Edema: 'negative' },
  { Edema: 'positive', 'Pleural Effusion': 'uncertain' }
])
const rules = matrixFromRows(labels, [{ Edema: 'positive' }, {}, { Edema: 'positive' }, { Edema: 'positive' }])
const llm = matrixFromRows(labels, [{ Edema: 'positive' }, { 'Pleural Effusion': 'positive' }, {}, { Edema: 'uncertain' }])

function input(): EvaluationReportInput {
  const comparison = compareSources([rules, llm], ref, { uncertain: 'exclude', resamples: 200, seed: 1 })
  return {
    generatedAt: '2026-01-01T00:00:00Z',
    data: { nReports: 4, ...alignLabels(['Edema', 'Effusion'], labels, { mapping: { Effusion: 'Pleural Effusion' } }), labelPairs: alignLabels(['Edema', 'Effusion'], labels, { mapping: { Effusion: 'Pleural Effusion' } }).pairs },
    settings: { uncertain: 'exclude', resamples: 200, seed: 1, confidence: 0.95 },
    reference: { name: 'Curated <review>', kind: 'curated', labelSet: 'chexpert14', labelSetVersion: '3' },
    predictions: [
      { name: 'rules v1', kind: 'run', engine: 'rules', details: { 'Rules version': 'r-12' } },
      { name: 'llm', kind: 'run', engine: 'llm', modelHash: 'ab12cd34', promptVersion: 'p-7', modelFile: 'tiny.gguf' }
    ],
    comparison,
    agreement: agreement(rules, llm, { uncertain: 'exclude', resamples: 200 })
  }
}

describe('HTML evaluation report', () => {
  const html = renderEvaluationHtml(input())

  it('is self-contained: no scripts, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i)
    // The only URL is the SVG namespace.
    const urls = html.match(/https?:\/\/[^\s"']+/g) ?? []
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']))
    expect(html).toContain("default-src 'none'")
  })

  it('describes data, settings and each source provenance', () => {
    expect(html).toContain('Reports evaluated</th><td>4')
    expect(html).toContain('Effusion → Pleural Effusion (mapping)')
    expect(html).toContain('cells where either side is uncertain are left out')
    expect(html).toContain('200 resamples, seed 1')
    expect(html).toContain('ab12cd34')
    expect(html).toContain('p-7')
    expect(html).toContain('chexpert14 (version 3)')
    expect(html).toContain('r-12')
    // Names are escaped, never injected as markup.
    expect(html).toContain('Curated &lt;review&gt;')
    expect(html).not.toContain('<review>')
  })

  it('has the tables and charts', () => {
    // summary + per-label F1 + 2 confusion grids + 1 difference chart
    expect(html.match(/<svg /g)).toHaveLength(5)
    expect(html).toContain('Differences against rules v1')
    expect(html).toContain('Agreement between rules v1 and llm')
    expect(html).toContain('Excluded</th>')
    expect(html).toContain('F1 per label (95% bootstrap interval)')
  })

  it('below the minimum sample leaves p-values out and marks no difference as significant', () => {
    // The fixture has 4 reports in common.
    expect(html).toContain('Only 4 reports in common (at least 30 are needed)')
    expect(html).not.toMatch(/, p (&lt;|≈)/)
    expect(html).not.toMatch(/class="n (up|down)"/)
  })

  it('prints p-values once the sample reaches the minimum', () => {
    const times = <T,>(rows: T[], n: number): T[] => Array.from({ length: n }, () => rows).flat()
    const refRows = [{ Edema: 'positive' as const }, { 'Pleural Effusion': 'positive' as const }, { Edema: 'negative' as const }]
    const big = compareSources(
      [matrixFromRows(labels, times([{ Edema: 'positive' as const }, {}, {}], 15)), matrixFromRows(labels, times(refRows, 15))],
      matrixFromRows(labels, times(refRows, 15)),
      { uncertain: 'exclude', resamples: 200, seed: 1 }
    )
    expect(big.nReports).toBe(45)
    const out = renderEvaluationHtml({ ...input(), comparison: big, data: { ...input().data, nReports: 45 } })
    expect(out).not.toContain('reports in common (at least 30 are needed)')
    expect(out).toMatch(/, p (&lt;|≈)/)
  })

  it('says so plainly when there is nothing to measure', () => {
    const empty = { ...input(), data: { ...input().data, nReports: 0 } }
    expect(renderEvaluationHtml(empty)).toContain('nothing to measure')
  })
})
