package io.cairn.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A member process for multi-process tests: a JVM running a main class on this JVM's class path, whose output lines
 * are collected (with the time since start) and whose stdin takes commands. Waits are bounded and end early when
 * the process dies.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> stamped = new CopyOnWriteArrayList<>();
    private final PrintWriter in;

    private ChildProcess(final Process process) {
        this.process = process;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        final long t0 = System.nanoTime();
        final Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                    stamped.add(String.format("%.3f %s", (System.nanoTime() - t0) / 1e9, l));
                }
            } catch (final IOException e) {
                lines.add("reader: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param mainClass the class whose main runs
     * @param jvmArgs   options for the JVM (e.g. {@code -Xmx256m}), may be empty
     * @param args      the main's arguments
     * @return the started process (stderr merged into stdout)
     * @throws IOException if it cannot start
     */
    public static ChildProcess start(final Class<?> mainClass, final List<String> jvmArgs, final String... args)
        throws IOException {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return new ChildProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** @return the output lines so far */
    public List<String> lines() {
        return lines;
    }

    /** @param command a line for the process's stdin */
    public void tell(final String command) {
        in.println(command);
    }

    /**
     * @param line    what to wait for
     * @param seconds bound
     * @return the first matching line, or null if none came within the bound or the process died
     * @throws InterruptedException if interrupted
     */
    public String await(final Predicate<String> line, final long seconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            for (final String l : lines) {
                if (line.test(l)) {
                    return l;
                }
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                return null;
            }
            Thread.sleep(20);
        }
    }

    /**
     * @param line what to count
     * @return how many output lines match
     */
    public long count(final Predicate<String> line) {
        return lines.stream().filter(line).count();
    }

    /** @return whether the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the process (SIGKILL) and waits for it to go.
     *
     * @throws InterruptedException if interrupted
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Writes the output, each line stamped with the seconds since start, for diagnosis.
     *
     * @param file where
     * @throws IOException if it cannot be written
     */
    public void saveOutput(final Path file) throws IOException {
        Files.write(file, stamped);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
