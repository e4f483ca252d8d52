package dev.egress.agent;

import dev.egress.agent.config.Settings;
import dev.egress.agent.config.SettingsException;
import dev.egress.agent.config.SettingsLoader;
import dev.egress.agent.decide.AddressBook;
import dev.egress.agent.decide.CallerFinder;
import dev.egress.agent.decide.ChildJvms;
import dev.egress.agent.decide.Gate;
import dev.egress.agent.decide.PolicyHolder;
import dev.egress.agent.decide.UserClasses;
import dev.egress.agent.decide.Wiring;
import dev.egress.agent.instrument.HookInstaller;
import dev.egress.agent.instrument.SelfTest;
import dev.egress.agent.load.PolicyLoader;
import dev.egress.agent.load.ProcessFacts;
import dev.egress.agent.report.CollectorSink;
import dev.egress.agent.report.JsonLinesSink;
import dev.egress.agent.report.OtlpSink;
import dev.egress.agent.report.RecordSink;
import dev.egress.agent.report.Reporter;
import dev.egress.bootstrap.EgressBridge;
import dev.egress.bootstrap.HookHandoff;
import dev.egress.policy.CidrSet;
import dev.egress.policy.EffectivePolicy;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Installs the agent. On the caller's thread (before {@code main}) only what must be in place
 * before the application's first connection: the gate on the bridge (with its caller finder, so
 * that a task or thread started right away carries its requester) and the hooks. Everything else
 * (settings, reporter, policy, process facts, self-test) is built on the agent's init thread while
 * the application starts; a decision that comes first waits for it. This is what keeps the added
 * start-up small: most of the agent's classes load beside {@code main}, not before it.
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
      // Settings first and here, so that a typo is on stderr even if the JVM exits at once.
      Settings settings;
      String settingsError = null;
      try {
        settings = SettingsLoader.load(args, System.getProperties(), System.getenv());
      } catch (SettingsException e) {
        // A bad setting must not open the door: run with defaults and no policy (fail closed).
        settingsError = "invalid settings: " + e.getMessage();
        AgentLog.error(
            settingsError + "; denying every destination outside internal.cidrs (fail closed)",
            null);
        settings = SettingsLoader.load("", new Properties(), Map.of());
      }
      PolicyHolder holder = new PolicyHolder(FIRST_POLICY_WAIT_MS);
      UserClasses userClasses = UserClasses.tracking();
      Gate gate =
          new Gate(
              holder,
              new AddressBook(),
              new CallerFinder(settings.gateways(), settings.trustedCode(), userClasses));
      // The bridge takes the hooks once, into a static final field, when it initializes: here,
      // before any hook exists that could initialize it first.
      boolean offered = HookHandoff.offer(gate);
      Class.forName("dev.egress.bootstrap.EgressBridge", true, null);
      if (!offered || !EgressBridge.active()) {
        AgentLog.error(
            "the bridge was initialized before this agent could hand it its hooks (another copy"
                + " of the agent, or code that ran first); egress is NOT controlled in this JVM",
            null);
        return;
      }
      HookInstaller hooks = new HookInstaller(userClasses);
      hooks.install(inst);
      new AgentThread(new Init(settings, settingsError, holder, gate, hooks), "init").start();
    } catch (Throwable t) {
      // Never take the JVM down: say loudly that egress is not controlled, and why.
      AgentLog.error("FAILED TO START; egress is NOT controlled in this JVM: " + t, t);
    }
  }

  /** The agent's start-up work that need not delay {@code main}. */
  private static final class Init implements Runnable {
    private final Settings settings;
    private final String settingsError;
    private final PolicyHolder holder;
    private final Gate gate;
    private final HookInstaller hooks;

    Init(
        Settings settings,
        String settingsError,
        PolicyHolder holder,
        Gate gate,
        HookInstaller hooks) {
      this.settings = settings;
      this.settingsError = settingsError;
      this.holder = holder;
      this.gate = gate;
      this.hooks = hooks;
    }

    @Override
    public void run() {
      try {
        wireAndLoad();
      } catch (Throwable t) {
        AgentLog.error("the agent failed while starting (" + t + "); its decisions fail closed", t);
      }
    }

    private void wireAndLoad() {
      CidrSet internal = CidrSet.parse(settings.internalCidrs());
      List<RecordSink> sinks = new ArrayList<>();
      sinks.add(new JsonLinesSink(settings.violationsLog()));
      if (settings.collectorUrl() != null) {
        CollectorSink collector =
            new CollectorSink(
                settings.collectorUrl(),
                settings.collectorToken(),
                settings.collectorSpool(),
                settings.collectorSpoolMax());
        collector.start();
        sinks.add(collector);
      }
      if (settings.otlpEndpoint() != null) {
        sinks.add(new OtlpSink(settings.otlpEndpoint()));
      }
      Reporter reporter = new Reporter(sinks);
      reporter.start();
      reporter.installShutdownHook();
      PolicyLoader loader = new PolicyLoader(settings, internal, settingsError);
      holder.failClosed(new FailClosed(loader));
      ViolationRecorder recorder = new ViolationRecorder(reporter, settings);
      gate.wire(new Wiring(internal, recorder, settings.unixSockets(), childJvms(settings)));

      recorder.processInfo(ProcessFacts.detect());
      loader.loadInto(holder);
      if (settings.selfTest()) {
        selfTest();
      }
    }

    private void selfTest() {
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

  /** How child processes get this agent, or null when this jar's path cannot be told. */
  private static ChildJvms childJvms(Settings settings) {
    try {
      String jar =
          java.nio.file.Path.of(
                  EgressAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
      return new ChildJvms(jar, settings.asAgentArguments(), settings.collectorToken());
    } catch (Exception | LinkageError e) {
      AgentLog.warn("child processes will not get the agent: " + e);
      return null;
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
