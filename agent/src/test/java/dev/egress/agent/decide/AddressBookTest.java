package dev.egress.agent.decide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressBookTest {
  private static InetAddress addr(String name, int last) throws Exception {
    return InetAddress.getByAddress(name, new byte[] {127, 0, 0, (byte) last});
  }

  @Test
  void theResolvedInstanceIsJudgedByItsOwnCanonicalName() throws Exception {
    AddressBook book = new AddressBook();
    InetAddress resolved = addr("Allowed.Example.COM.", 2);
    book.learn("Allowed.Example.COM.", new InetAddress[] {resolved});
    assertArrayEquals(
        new String[] {"allowed.example.com"}, book.get(resolved).namesOfInstance(resolved));
  }

  @Test
  void aForgedInstanceOfTheSameAddressIsNotTheResolvedOne() throws Exception {
    AddressBook book = new AddressBook();
    InetAddress resolved = addr("allowed.example.com", 2);
    book.learn("allowed.example.com", new InetAddress[] {resolved});
    InetAddress forged = addr("allowed.example.com", 2);
    AddressBook.Entry e = book.get(forged);
    assertNull(e.namesOfInstance(forged));
    assertArrayEquals(new String[] {"allowed.example.com"}, e.allNames());
    assertNull(book.get(addr("allowed.example.com", 3)), "never resolved: no binding at all");
  }

  @Test
  void namesAccumulatePerAddressAndRepeatsAllocateNothing() throws Exception {
    AddressBook book = new AddressBook();
    InetAddress a = addr("a.example", 9);
    InetAddress b = addr("b.example", 9);
    book.learn("a.example", new InetAddress[] {a});
    book.learn("b.example", new InetAddress[] {b});
    AddressBook.Entry before = book.get(a);
    assertEquals(2, before.allNames().length);
    book.learn("b.example", new InetAddress[] {b});
    assertSame(before, book.get(a), "a repeated lookup must not replace the entry");
  }

  @Test
  void capacityIsBounded() throws Exception {
    AddressBook book = new AddressBook(100);
    for (int i = 0; i < 1000; i++) {
      InetAddress a =
          InetAddress.getByAddress(
              "h" + i + ".example", new byte[] {10, 0, (byte) (i >> 8), (byte) i});
      book.learn("h" + i + ".example", new InetAddress[] {a});
    }
    assertTrue(book.size() <= 100, "size " + book.size());
  }

  @Test
  void invalidNamesAreNotLearned() throws Exception {
    AddressBook book = new AddressBook();
    InetAddress a = addr("x", 7);
    book.learn("bad..name", new InetAddress[] {a});
    assertNull(book.get(a));
  }
}
