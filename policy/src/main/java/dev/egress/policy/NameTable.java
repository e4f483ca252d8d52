package dev.egress.policy;

import java.util.Map;

/**
 * An immutable open-addressing hash table from names to values that can be probed with a region of
 * a longer string (a suffix of a host name, the first label, a bucket prefix) without creating a
 * substring. The hash is {@code String.hashCode} of the region, so a whole-string probe reuses the
 * string's cached hash.
 */
final class NameTable<V> {
  private static final NameTable<?> EMPTY = new NameTable<>(Map.of());

  private final String[] keys;
  private final Object[] values;
  private final int[] hashes;
  private final int mask;
  private final int size;

  private NameTable(Map<String, V> entries) {
    int cap = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1) - 1) << 1;
    keys = new String[cap];
    values = new Object[cap];
    hashes = new int[cap];
    mask = cap - 1;
    for (Map.Entry<String, V> e : entries.entrySet()) {
      String k = e.getKey();
      int h = k.hashCode();
      int i = spread(h) & mask;
      while (keys[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = k;
      values[i] = e.getValue();
      hashes[i] = h;
    }
    size = entries.size();
  }

  static <V> NameTable<V> of(Map<String, V> entries) {
    return entries.isEmpty() ? empty() : new NameTable<>(entries);
  }

  @SuppressWarnings("unchecked")
  static <V> NameTable<V> empty() {
    return (NameTable<V>) EMPTY;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** The value for the whole of {@code s}. */
  V get(String s) {
    return size == 0 ? null : find(s, 0, s.length(), s.hashCode());
  }

  /** The value for {@code s[from, to)}. */
  V get(String s, int from, int to) {
    if (size == 0) {
      return null;
    }
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + s.charAt(i);
    }
    return find(s, from, to, h);
  }

  /** Looks up {@code s[from, to)} whose String hash the caller already computed. */
  @SuppressWarnings("unchecked")
  V find(String s, int from, int to, int hash) {
    int len = to - from;
    int i = spread(hash) & mask;
    String k;
    while ((k = keys[i]) != null) {
      // A whole-name probe compares with equals, which the JIT turns into a vectorised compare;
      // regionMatches is a plain loop on JDK 17 and dominated the allowed path in the benchmark.
      if (hashes[i] == hash
          && k.length() == len
          && (from == 0 && len == s.length() ? k.equals(s) : s.regionMatches(from, k, 0, len))) {
        return (V) values[i];
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /**
   * The value of the first key that is a proper dot-suffix of {@code s} (for {@code
   * a.b.example.com}: the keys {@code b.example.com}, {@code example.com}, {@code com}), i.e. a
   * {@code *.key} wildcard match. Hashes are accumulated from the right so that each probe costs
   * one table lookup and nothing is allocated.
   */
  V findDotSuffix(String s) {
    if (size == 0) {
      return null;
    }
    int h = 0;
    int pow = 1;
    for (int i = s.length() - 1; i > 0; i--) {
      char c = s.charAt(i);
      if (c == '.') {
        V v = find(s, i + 1, s.length(), h);
        if (v != null) {
          return v;
        }
      }
      h += c * pow;
      pow *= 31;
    }
    return null;
  }
}
