package io.cairn.stack.discovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A shared directory: each member writes one small file naming its advertised address ({@code host_port.member},
 * written under a temporary name and moved into place, so a reader never sees half a file) and reads everyone's
 * every interval. A member puts its file back every interval if it is gone (an earlier process on the same
 * address removed it when it closed). The file is removed at close; one left by a crashed member only costs its
 * peers a few unanswered datagrams or connection attempts.
 */
final class DirectoryDiscovery extends Discovery {
    static final String SUFFIX = ".member";
    private final Path dir;
    private Path mine;

    DirectoryDiscovery(final String path, final List<InetSocketAddress> fixed, final Duration interval,
                       final Path dir) {
        super(path, fixed, interval);
        this.dir = dir;
    }

    @Override
    protected void publish() {
        final InetSocketAddress a = advertised();
        final String host = a.getAddress().getHostAddress();
        final String text = (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        final String file = text.replace(':', '_').replace('[', '_').replace(']', '_') + SUFFIX;
        final boolean first = mine == null;
        mine = dir.resolve(file);
        if (!first && Files.exists(mine)) {
            return;
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".", ".tmp");
            Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, mine, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (final IOException e) {
            if (first) {
                throw new java.io.UncheckedIOException("discovery directory " + dir + ": cannot write this member's "
                    + "file (" + e.getMessage() + "); every member needs to read and write it", e);
            }
            failed();
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (final IOException ignored) {
                    // a stray temporary file is skipped by readers (not *.member)
                }
            }
        }
    }

    @Override
    protected void withdraw() {
        if (mine != null) {
            try {
                Files.deleteIfExists(mine);
            } catch (final IOException e) {
                // a stale file only costs peers a few unanswered attempts
            }
        }
    }

    @Override
    protected List<InetSocketAddress> lookup() throws IOException {
        final List<InetSocketAddress> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (final Path f : files) {
                final String text;
                try {
                    text = Files.readString(f, StandardCharsets.UTF_8).trim();
                } catch (final IOException e) {
                    continue; // removed while listing
                }
                final int colon = text.lastIndexOf(':');
                try {
                    String host = text.substring(0, colon);
                    if (host.startsWith("[")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    out.add(new InetSocketAddress(java.net.InetAddress.getByName(host),
                        Integer.parseInt(text.substring(colon + 1))));
                } catch (final RuntimeException | java.net.UnknownHostException e) {
                    failed(); // a file that is not ours, or garbled: skipped
                }
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return "directory " + dir;
    }
}
