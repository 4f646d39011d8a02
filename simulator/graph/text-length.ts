/** Meta counts characters, not UTF-16 units. */
export function length(text: string): number {
  return [...text].length;
}
