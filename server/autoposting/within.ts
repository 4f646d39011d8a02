/** At most `max` characters (as Meta and X count them, code points), with an ellipsis when cut. */
export function within(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}
