// What this machine offers llama.cpp: backends found, which one "automatic" uses, and why.
import { useState } from 'react'
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'
import { formatBytes } from '../../../../common/format'

export function HardwarePanel(): React.JSX.Element {
  const [refresh, setRefresh] = useState(false)
  const hw = useCall('models.hardware', { refresh })
  return (
    <section className="card stack" aria-label="Hardware">
      <div className="row">
        <h2 className="grow">Hardware</h2>
        <button className="secondary small" onClick={() => (refresh ? hw.reload() : setRefresh(true))} disabled={hw.loading}>
          Detect again
        </button>
      </div>
      {hw.loading && !hw.data ? <Loading what="GPU backends (this takes a few seconds)" /> : null}
      {hw.error ? <ErrorBanner error={hw.error} onRetry={hw.reload} /> : null}
      {hw.data ? (
        <>
          <p>
            In use with “Automatic”: <strong>{hw.data.auto.type === 'cpu' ? 'CPU' : hw.data.auto.type.toUpperCase()}</strong> —{' '}
            {hw.data.auto.reason}.
          </p>
          <p className="small muted">
            {hw.data.cpuModel}: {hw.data.physicalCores} physical cores ({hw.data.logicalCores} logical), {formatBytes(hw.data.ramBytes)} RAM.
            The LLM engine uses {hw.data.physicalCores} threads unless you choose otherwise.
          </p>
          <table className="data">
            <thead>
              <tr>
                <th>Backend</th>
                <th>Usable</th>
                <th>Devices / reason</th>
                <th>VRAM free / total</th>
              </tr>
            </thead>
            <tbody>
              {hw.data.backends.map((b) => (
                <tr key={b.type}>
                  <td>{b.type === 'cpu' ? 'CPU' : b.type.toUpperCase()}</td>
                  <td className={b.usable ? 'ok' : 'muted'}>{b.usable ? 'yes' : 'no'}</td>
                  <td>{b.detail}</td>
                  <td>{b.vram ? `${formatBytes(b.vram.free)} / ${formatBytes(b.vram.total)}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}
