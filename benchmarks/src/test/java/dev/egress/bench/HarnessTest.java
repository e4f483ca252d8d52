package dev.egress.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HarnessTest {
  @Test
  void theMediansIntervalOfTwentyIsTheSixthToTheFifteenthValue() {
    double[] v = new double[20];
    for (int i = 0; i < v.length; i++) {
      v[v.length - 1 - i] = i + 1; // order must not matter
    }
    assertArrayEquals(new double[] {10.5, 6, 15}, Harness.medianWithInterval(v));
  }

  @Test
  void withFewValuesTheIntervalIsTheWholeRange() {
    assertArrayEquals(
        new double[] {3, 1, 5}, Harness.medianWithInterval(new double[] {5, 1, 3, 2, 4}));
  }
}
