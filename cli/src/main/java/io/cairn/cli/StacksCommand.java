package io.cairn.cli;

import com.typesafe.config.ConfigFactory;
import io.cairn.stack.config.StackAssembler;
import io.cairn.stack.config.StackConfigException;
import io.cairn.stack.config.StackSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code cairn stacks} and {@code cairn stacks explain}. */
@Command(name = "stacks", description = "List the shipped stacks, or explain one.",
    subcommands = StacksCommand.Explain.class)
public final class StacksCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        final StackAssembler assembler = new StackAssembler();
        final PrintStream out = System.out;
        out.printf("%-16s %-8s %-60s %s%n", "STACK", "TRANSPORT", "LAYERS (bottom first)", "PROVIDES");
        for (final String name : assembler.shippedStacks()) {
            try {
                final StackSpec s = assembler.load(name, ConfigFactory.empty());
                out.printf("%-16s %-8s %-60s %s%n", name, s.transport(), String.join(", ", s.layerNames()),
                    s.provides());
            } catch (final StackConfigException e) {
                out.printf("%-16s INVALID: %s%n", name, e.getMessage());
            }
        }
        return 0;
    }

    /** {@code cairn stacks explain <name|file>}. */
    @Command(name = "explain", description = "Show the resolved layer list, with what each layer provides and "
        + "requires. Exits 2 on an invalid stack.")
    static final class Explain implements Callable<Integer> {
        @Parameters(paramLabel = "STACK", description = "a shipped stack name or the path of a .conf file")
        String stack;

        @Override
        public Integer call() {
            final StackSpec s;
            try {
                s = new StackAssembler().load(stack, ConfigFactory.empty());
            } catch (final StackConfigException e) {
                System.err.println("invalid stack: " + e.getMessage());
                return 2;
            }
            final PrintStream out = System.out;
            out.println("stack     " + s.source() + (s.synthesized() ? "  (layers synthesized from properties)" : ""));
            out.println("transport " + s.transport());
            for (int i = s.layers().size() - 1; i >= 0; i--) {
                final StackSpec.LayerPlan p = s.layers().get(i);
                out.printf("  %2d %-20s provides %-28s requires %s%n", i, p.name(), p.provides(), p.requires());
            }
            out.println("provides  " + s.provides());
            out.println(s.hasMembership() ? "membership: dynamic views"
                : "membership: static member list " + s.members());
            return 0;
        }
    }
}
