package io.jointly.secagg.internal;

import java.util.Arrays;

/**
 * The communication graph of secure aggregation: who shares keys and masks with whom.
 *
 * <ul>
 *   <li><b>Complete</b> ({@code degree ≥ n − 1}): every client is every other's neighbour, as in
 *       Bonawitz et al. (CCS 2017).
 *   <li><b>Sparse</b> (even {@code degree = k < n − 1}): the Harary graph H_{k,n} (a ring in which
 *       each node is joined to the k/2 nearest nodes on either side; k-regular and k-connected)
 *       laid over a uniformly random ordering of the clients, drawn from a public 256-bit seed with
 *       {@link MaskPrg#stream} and a Fisher–Yates shuffle. This is the sparse-graph option of Bell
 *       et al., "Secure single-server aggregation with (poly)logarithmic overhead" (CCS 2020), with
 *       a random Harary graph in place of the paper's Erdős–Rényi graph; see the package
 *       documentation for what that changes.
 * </ul>
 *
 * <p>Every party derives the same graph from (n, degree, seed). Nodes are roster indexes 0..n−1.
 * Immutable and thread-safe.
 */
public final class NeighbourGraph {
  private final int n;
  private final int degree;
  private final int[][] neighbours;

  private NeighbourGraph(int n, int degree, int[][] neighbours) {
    this.n = n;
    this.degree = degree;
    this.neighbours = neighbours;
  }

  /**
   * The graph on {@code n} nodes.
   *
   * @param degree the degree: {@code n − 1} (or more) for the complete graph, otherwise even and
   *     at least 2
   * @param seed the public 32-byte seed of the ordering (ignored for the complete graph)
   */
  public static NeighbourGraph create(int n, int degree, byte[] seed) {
    if (n < 2) {
      throw new IllegalArgumentException("a graph needs at least 2 nodes");
    }
    if (degree >= n - 1) {
      int[][] all = new int[n][];
      for (int i = 0; i < n; i++) {
        int[] row = new int[n - 1];
        for (int j = 0, c = 0; j < n; j++) {
          if (j != i) {
            row[c++] = j;
          }
        }
        all[i] = row;
      }
      return new NeighbourGraph(n, n - 1, all);
    }
    if (degree < 2 || (degree & 1) != 0) {
      throw new IllegalArgumentException("a sparse degree must be even and at least 2");
    }
    int[] order = new int[n]; // order[position] = node
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    MaskPrg.Stream stream = MaskPrg.stream(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = stream.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] position = new int[n];
    for (int p = 0; p < n; p++) {
      position[order[p]] = p;
    }
    int half = degree / 2;
    int[][] rows = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] row = new int[degree];
      int c = 0;
      for (int d = 1; d <= half; d++) {
        row[c++] = order[Math.floorMod(position[i] + d, n)];
        row[c++] = order[Math.floorMod(position[i] - d, n)];
      }
      Arrays.sort(row);
      rows[i] = row;
    }
    return new NeighbourGraph(n, degree, rows);
  }

  /** Number of nodes. */
  public int size() {
    return n;
  }

  /** The degree of every node. */
  public int degree() {
    return degree;
  }

  /** Whether this is the complete graph. */
  public boolean complete() {
    return degree == n - 1;
  }

  /** The neighbours of {@code node}, ascending (a copy). */
  public int[] neighbours(int node) {
    return neighbours[node].clone();
  }

  /** Whether {@code a} and {@code b} are neighbours. */
  public boolean adjacent(int a, int b) {
    return a != b && Arrays.binarySearch(neighbours[a], b) >= 0;
  }
}
