package dev.egress.collector;

import dev.egress.collector.cli.ExplainCommand;
import dev.egress.collector.cli.ImpactCommand;
import dev.egress.collector.cli.ServeCommand;
import dev.egress.collector.cli.SuggestCommand;
import dev.egress.collector.cli.SummarizeCommand;
import dev.egress.collector.cli.TailCommand;
import dev.egress.collector.cli.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar egress-collector.jar <command>}: the collector service and the tools around its
 * data.
 */
@Command(
    name = "egress-collector",
    mixinStandardHelpOptions = true,
    version = "egress-collector 0.1.0",
    description =
        "The egress collector service and the command-line tools for violation logs and policies.",
    subcommands = {
      ServeCommand.class,
      TailCommand.class,
      SummarizeCommand.class,
      ValidateCommand.class,
      ExplainCommand.class,
      SuggestCommand.class,
      ImpactCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  /**
   * Runs a command line with its output captured; returns the exit code. The CLI tests call this.
   */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return new CommandLine(new Main()).setOut(out).setErr(err).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
