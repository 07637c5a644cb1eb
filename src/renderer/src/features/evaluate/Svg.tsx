// Shows a chart from src/common/eval/charts-svg (the same SVG the HTML report embeds). Every text in
// those strings is XML-escaped by the chart builders, so inserting the markup is safe.
export function Svg({ svg, label }: { svg: string; label: string }): React.JSX.Element {
  return <div className="eval-chart" role="figure" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />
}
