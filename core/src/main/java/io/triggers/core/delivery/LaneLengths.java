package io.triggers.core.delivery;

import java.util.Arrays;

/**
 * How many lanes have each number of waiting tasks, so that {@link DeliveryLanes} knows the length
 * of the longest lane without scanning them all. Not thread-safe, as its owner.
 */
final class LaneLengths {

  /** Lanes by their number of waiting tasks; index 0 is unused, as empty lanes are not counted. */
  private final int[] lanesOfLength;

  private int longest;

  /** Counts lanes of up to {@code maxLength} waiting tasks. */
  LaneLengths(int maxLength) {
    this.lanesOfLength = new int[maxLength + 1];
  }

  /** Counts a lane whose waiting tasks went from {@code from} to {@code to}. */
  void resized(int from, int to) {
    if (from > 0) {
      lanesOfLength[from]--;
    }
    if (to > 0) {
      lanesOfLength[to]++;
    }
    longest = Math.max(longest, to);
    while (longest > 0 && lanesOfLength[longest] == 0) {
      longest--;
    }
  }

  /** The number of waiting tasks of the longest lane, 0 if none waits. */
  int longest() {
    return longest;
  }

  /** Forgets every lane, as when all were emptied. */
  void clear() {
    Arrays.fill(lanesOfLength, 0);
    longest = 0;
  }
}
