package dev.egress.agent.decide;

import dev.egress.policy.HostNames;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The name-address bindings the agent saw the JVM's own resolver return. A name counts for an
 * address only if it is here: {@code InetAddress.getByAddress("allowed.example.com", bytes)} can
 * carry any name with any address, so the name an InetAddress carries proves nothing by itself.
 *
 * <p>Each binding keeps the very InetAddress instance the resolver returned. A connect with that
 * instance is judged by exactly the name it was looked up by; a connect with another instance of
 * the same address (a literal, or a forged name) is judged by every name seen for the address.
 *
 * <p>Reads are one {@link ConcurrentHashMap#get} and allocate nothing; writes happen on lookups.
 */
public final class AddressBook {
  private static final int DEFAULT_CAPACITY = 100_000;
  private static final int MAX_NAMES_PER_ADDRESS = 32;

  private final ConcurrentHashMap<InetAddress, Entry> entries = new ConcurrentHashMap<>();
  private final int capacity;

  public AddressBook() {
    this(DEFAULT_CAPACITY);
  }

  AddressBook(int capacity) {
    this.capacity = capacity;
  }

  /** The bindings for {@code address}, or null if no lookup ever returned it. */
  public Entry get(InetAddress address) {
    return entries.get(address);
  }

  /** Learns that {@code host} resolved to {@code addresses}. */
  public void learn(String host, InetAddress[] addresses) {
    learn(host, addresses, ALWAYS);
  }

  /** Who may teach a binding the book does not hold yet. */
  public interface Witness {
    boolean trusted();
  }

  /** Not a lambda: this class loads before main, where the first lambda costs milliseconds. */
  private static final Witness ALWAYS =
      new Witness() {
        @Override
        public boolean trusted() {
          return true;
        }
      };

  /**
   * Learns that {@code host} resolved to {@code addresses}; a binding the book does not hold yet is
   * learned only if {@code witness} vouches for it (the check can cost a stack walk, so it is made
   * only then).
   */
  public void learn(String host, InetAddress[] addresses, Witness witness) {
    String canonical = HostNames.canonical(host);
    if (canonical == null) {
      return;
    }
    boolean known = true;
    for (InetAddress a : addresses) {
      Entry e = a == null ? null : entries.get(a);
      String[] own = e == null ? null : e.namesOfInstance(a);
      if (a != null && (own == null || !own[0].equals(canonical))) {
        known = false;
        break;
      }
    }
    if (known || !witness.trusted()) {
      return;
    }
    if (entries.size() >= capacity) {
      evictSome();
    }
    for (InetAddress a : addresses) {
      if (a != null) {
        entries.compute(
            a, (k, old) -> old == null ? Entry.of(a, canonical) : old.with(a, canonical));
      }
    }
  }

  int size() {
    return entries.size();
  }

  /**
   * Over capacity, forget a tenth of the addresses. A forgotten binding can only make a later
   * connect to that address be denied until the name is looked up again, never allowed wrongly.
   */
  private void evictSome() {
    int toRemove = Math.max(1, capacity / 10);
    for (InetAddress a : entries.keySet()) {
      if (toRemove-- <= 0) {
        break;
      }
      entries.remove(a);
    }
  }

  /** Immutable bindings of one address; replaced whole when a new name or instance is learned. */
  public static final class Entry {
    private final InetAddress[] instances;
    private final String[][] nameOfInstance; // each a one-element array, shared to avoid allocation
    private final String[] allNames;

    private Entry(InetAddress[] instances, String[][] nameOfInstance, String[] allNames) {
      this.instances = instances;
      this.nameOfInstance = nameOfInstance;
      this.allNames = allNames;
    }

    static Entry of(InetAddress instance, String name) {
      return new Entry(new InetAddress[] {instance}, new String[][] {{name}}, new String[] {name});
    }

    Entry with(InetAddress instance, String name) {
      for (int i = 0; i < instances.length; i++) {
        if (instances[i] == instance && nameOfInstance[i][0].equals(name)) {
          return this;
        }
      }
      // Keep the newest bindings: a long-lived address that many names resolve to stays bounded.
      int keep = Math.min(instances.length, MAX_NAMES_PER_ADDRESS - 1);
      int from = instances.length - keep;
      InetAddress[] ni = new InetAddress[keep + 1];
      String[][] nn = new String[keep + 1][];
      System.arraycopy(instances, from, ni, 0, keep);
      System.arraycopy(nameOfInstance, from, nn, 0, keep);
      ni[keep] = instance;
      nn[keep] = new String[] {name};
      String[] names = Arrays.stream(nn).map(n -> n[0]).distinct().toArray(String[]::new);
      return new Entry(ni, nn, names);
    }

    /** The name {@code instance} itself was resolved by, as a one-element array, or null. */
    public String[] namesOfInstance(InetAddress instance) {
      for (int i = 0; i < instances.length; i++) {
        if (instances[i] == instance) {
          return nameOfInstance[i];
        }
      }
      return null;
    }

    /** Every name seen resolving to this address. */
    public String[] allNames() {
      return allNames;
    }
  }
}
