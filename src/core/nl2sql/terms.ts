/** Question text as lowercase word stems, for table retrieval and few-shot example retrieval. */

export const STOPWORDS = new Set(('a an the of in on at by for to from with and or is are was were be been what which who whom how many much ' +
  'me my show list give get find tell do does did it its this that these those there per each over than as into out all any ' +
  'top last past first latest most least number count total average avg sum n please between since during about').split(' '));

export function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** Lowercase word stems; identifiers are split on '_' so value_eth matches "eth". */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOPWORDS.has(w)).map(stem);
}
