package dev.egress.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.agent.AgentThread;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The self-test without an agent installed: no hook fires, and it must say so for each one. (Its
 * probes then really go to the loopback discard port and to the test hosts file, nowhere else.)
 */
class SelfTestTest {
  @Test
  void reportsEveryHookThatDidNotFire() throws Exception {
    List<String> problems = runOnAgentThread(ConcurrentHashMap.newKeySet());
    assertTrue(problems.contains("the tcp-connect hook did not fire"), problems.toString());
    assertTrue(problems.contains("the lookup hook did not fire"), problems.toString());
    assertTrue(problems.contains("the udp-send hook did not fire"), problems.toString());
    assertTrue(problems.contains("the udp-connect hook did not fire"), problems.toString());
  }

  @Test
  void reportsNothingWhenEveryHookFired() throws Exception {
    Set<String> fired = ConcurrentHashMap.newKeySet();
    fired.addAll(List.of("tcp-connect", "lookup", "udp-send", "udp-connect"));
    assertEquals(List.of(), runOnAgentThread(fired));
  }

  private static List<String> runOnAgentThread(Set<String> fired) throws InterruptedException {
    AtomicReference<List<String>> result = new AtomicReference<>();
    Thread t =
        new AgentThread(
            () ->
                result.set(
                    SelfTest.run(
                        new HookInstaller(dev.egress.agent.decide.UserClasses.ALWAYS_POSSIBLE),
                        fired)),
            "test");
    t.start();
    t.join(30_000);
    return result.get();
  }
}
