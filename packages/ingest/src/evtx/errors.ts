/**
 * A file that is not an EVTX log at all (wrong magic, too short to hold a file header). Reading stops: nothing in
 * the file can be trusted to be an event.
 */
export class EvtxFormatError extends Error {
  override readonly name = 'EvtxFormatError';
  /**
   * @param file the path as given by the caller
   * @param offset byte offset in the file where the problem was found
   * @param problem one sentence: what is wrong
   */
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`${file}: byte ${offset}: ${problem}`);
  }
}

/**
 * A structural problem inside one chunk's Binary XML (a length pointing past the chunk, an unknown token, a
 * template that refers to itself, nesting too deep). Thrown inside the chunk decoder and turned by the reader into
 * a counted, skipped record; it never escapes `readEvtx`.
 */
export class EvtxParseError extends Error {
  override readonly name = 'EvtxParseError';
  /**
   * @param offset byte offset inside the chunk (0-65535) where decoding failed
   * @param problem one sentence: what is wrong
   */
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`chunk byte ${offset}: ${problem}`);
  }
}
