package dev.egress.agent;

import dev.egress.agent.config.Settings;
import dev.egress.agent.config.SettingsException;
import dev.egress.agent.config.SettingsLoader;
import dev.egress.agent.decide.AddressBook;
import dev.egress.agent.decide.CallerFinder;
import dev.egress.agent.decide.Gate;
import dev.egress.agent.decide.PolicyHolder;
import dev.egress.agent.instrument.HookInstaller;
import dev.egress.agent.instrument.SelfTest;
import dev.egress.agent.load.PolicyLoader;
import dev.egress.agent.load.ProcessFacts;
import dev.egress.agent.report.JsonLinesSink;
import dev.egress.agent.report.RecordSink;
import dev.egress.agent.report.Reporter;
import dev.egress.bootstrap.EgressBridge;
import dev.egress.policy.CidrSet;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import dev.egress.policy.EffectivePolicy;

/**
 * Installs the agent: settings, the bridge on the boot class path, the gate, the hooks; then, on a
 * background thread, the policy, the process facts and the self-test. Only what must be in place
 * before {@code main} runs is done on the caller's thread; the policy is awaited by the first
 * decision that needs it.
 */
final class AgentInstaller {
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** How long a first decision waits for the first policy before failing closed. */
  private static final long FIRST_POLICY_WAIT_MS = 30_000;

  private AgentInstaller() {}

  static void install(String args, Instrumentation inst) {
    if (!INSTALLED.compareAndSet(false, true)) {
      AgentLog.warn("already installed in this JVM; ignoring the second -javaagent/attach");
      return;
    }
    try {
      installOrThrow(args, inst);
    } catch (Throwable t) {
      // Never take the JVM down: say loudly that egress is not controlled, and why.
      AgentLog.error("FAILED TO START; egress is NOT controlled in this JVM: " + t, t);
    }
  }

  private static void installOrThrow(String args, Instrumentation inst) throws Exception {
    Settings settings;
    String settingsError = null;
    try {
      settings = SettingsLoader.load(args, System.getProperties(), System.getenv());
    } catch (SettingsException e) {
      // A bad setting must not open the door: run with defaults and no policy (fail closed).
      settingsError = "invalid settings: " + e.getMessage();
      AgentLog.error(settingsError + "; denying every destination outside internal.cidrs", null);
      settings = SettingsLoader.load("", new Properties(), Map.of());
    }


    CidrSet internal = CidrSet.parse(settings.internalCidrs());
    CallerFinder callers = new CallerFinder(settings.gateways(), settings.trustedCode());
    Reporter reporter = new Reporter(List.<RecordSink>of(new JsonLinesSink(settings.violationsLog())));
    reporter.start();
    reporter.installShutdownHook();
    PolicyLoader loader = new PolicyLoader(settings, internal, settingsError);
    PolicyHolder holder = new PolicyHolder(FIRST_POLICY_WAIT_MS, new FailClosed(loader));
    ViolationRecorder recorder = new ViolationRecorder(reporter, settings);
    Gate gate = new Gate(holder, new AddressBook(), callers, recorder, internal);

    EgressBridge.install(gate);
    HookInstaller hooks = new HookInstaller();
    hooks.install(inst);

    new AgentThread(new Init(settings, recorder, loader, holder, hooks, gate), "init").start();
  }

  /** What runs in the background after premain: process facts, the policy, the self-test. */
  private static final class Init implements Runnable {
    private final Settings settings;
    private final ViolationRecorder recorder;
    private final PolicyLoader loader;
    private final PolicyHolder holder;
    private final HookInstaller hooks;
    private final Gate gate;

    Init(
        Settings settings,
        ViolationRecorder recorder,
        PolicyLoader loader,
        PolicyHolder holder,
        HookInstaller hooks,
        Gate gate) {
      this.settings = settings;
      this.recorder = recorder;
      this.loader = loader;
      this.holder = holder;
      this.hooks = hooks;
      this.gate = gate;
    }

    @Override
    public void run() {
      recorder.processInfo(ProcessFacts.detect());
      loader.loadInto(holder);
      if (!settings.selfTest()) {
        return;
      }
      List<String> problems = SelfTest.run(hooks, gate.selfTestFired());
      if (!problems.isEmpty()) {
        AgentLog.error(
            "SELF-TEST FAILED: egress is NOT fully controlled in this JVM ("
                + System.getProperty("java.vm.name")
                + " "
                + Runtime.version()
                + "): "
                + String.join("; ", problems)
                + ". Fix: run on a supported JDK (17 to 25) and check that no other agent"
                + " removes the hooks; report the JDK version to the agent's maintainers.",
            null);
      }
    }
  }

  /** The policy a first decision gets when the first load takes too long. */
  private static final class FailClosed implements Supplier<EffectivePolicy> {
    private final PolicyLoader loader;

    FailClosed(PolicyLoader loader) {
      this.loader = loader;
    }

    @Override
    public EffectivePolicy get() {
      return loader.failClosedNow();
    }
  }
}
