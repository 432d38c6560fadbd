package dev.kronet.engine.kernel;

/**
 * Cache-blocking parameters of the blocked SGEMMs.
 *
 * @param kcMax the largest K block; K is split into {@code ceil(k / kcMax)} blocks of nearly equal
 *     size, because a short last block costs a whole pass over C for little work (even splits
 *     mattered in the feasibility study of shared/notes/vector-api-sgemm.md)
 * @param blockFloats the size of one packed B block (kc × nc floats); about 1 MB keeps it in L2 (2
 *     MB per core on Sapphire Rapids; on the 1 MB-L2 Zen 5 we measured, 0.5 and 1 MB were within
 *     noise), while the A micro-panel (MR × kc) stays in L1
 * @param minFlopsPerTask the least work (2·rows·cols·k) worth handing to another thread; smaller
 *     problems run on the calling thread
 * @param inPlaceMaxBFloats the largest B (k·n floats) that the vector SGEMM reads in place rather
 *     than packs when C has few rows ({@link SgemmVector#IN_PLACE_MAX_ROWS}): a B that small is
 *     expected to come from cache, where reading it in place saves the copy, while a B streamed
 *     from memory must be packed even for a single use (see {@link SgemmVector})
 */
record GemmBlocking(int kcMax, int blockFloats, long minFlopsPerTask, long inPlaceMaxBFloats) {
  /**
   * The tuned defaults: kc ≤ 256, 256 Ki floats (1 MB) of packed B, ≥ 4 MFLOP per task, B read in
   * place up to 4 Mi floats (16 MB).
   */
  static final GemmBlocking DEFAULT = new GemmBlocking(256, 256 * 1024, 1L << 22, 1L << 22);

  /** Number of K blocks: the fewest of size ≤ kcMax. */
  int kBlocks(int k) {
    return Math.max(1, ceilDiv(k, kcMax));
  }

  /** Size of each K block but possibly the last (which is never larger). */
  int kc(int k) {
    return Math.max(1, ceilDiv(k, kBlocks(k)));
  }

  /** Columns of one packed B block for this kc, a positive multiple of {@code unit}. */
  int nc(int kc, int unit) {
    return Math.max(unit, blockFloats / kc / unit * unit);
  }

  static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }
}
