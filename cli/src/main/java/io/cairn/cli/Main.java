package io.cairn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cairn} command. */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
    description = "Process groups with virtual synchrony, from composable protocol stacks.",
    subcommands = {DemoCommand.class, StacksCommand.class, SimulateCommand.class, BenchCommand.class,
        MemberCommand.class, ProbeCommand.class,
        DoctorCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param args command line
     */
    public static void main(final String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command without exiting (tests).
     *
     * @param args command line
     * @return exit code
     */
    public static int run(final String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
