package io.cairn.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A pair of configurations compared at one member count and payload size, e.g. {@code udp-fifo-n3-1k}: JGroups'
 * {@code udp.xml} against Cairn's {@code vsync} over UDP, 3 members, 1 KiB.
 *
 * @param kind what is compared
 * @param n    members
 * @param size payload bytes
 */
record Row(Kind kind, int n, int size) {
    /** The pairs: a JGroups stock file against the Cairn stack and transport with the same guarantees. */
    enum Kind {
        UDP_FIFO("udp-fifo", "UDP, FIFO + membership", "udp.xml", "vsync", "udp"),
        TCP_FIFO("tcp-fifo", "TCP, FIFO + membership", "tcp.xml", "vsync", "tcp"),
        UDP_TOTAL("udp-total", "UDP, total order", "sequencer.xml", "total", "udp");

        final String id;
        final String title;
        final String jgroupsConfig;
        final String cairnStack;
        final String cairnTransport;

        Kind(final String id, final String title, final String jgroupsConfig, final String cairnStack,
             final String cairnTransport) {
            this.id = id;
            this.title = title;
            this.jgroupsConfig = jgroupsConfig;
            this.cairnStack = cairnStack;
            this.cairnTransport = cairnTransport;
        }
    }

    String id() {
        return kind.id + "-n" + n + "-" + sizeLabel();
    }

    String sizeLabel() {
        return size % 1024 == 0 ? size / 1024 + "k" : size + "b";
    }

    /** @return every row, in report order */
    static List<Row> all() {
        final List<Row> rows = new ArrayList<>();
        for (final int size : new int[] {1024, 100}) {
            for (final Kind k : new Kind[] {Kind.UDP_FIFO, Kind.TCP_FIFO}) {
                for (int n = 2; n <= 4; n++) {
                    rows.add(new Row(k, n, size));
                }
            }
            rows.add(new Row(Kind.UDP_TOTAL, 3, size));
        }
        rows.add(new Row(Kind.UDP_FIFO, 3, 65536));
        return rows;
    }

    /**
     * @param spec comma-separated row ids or globs ({@code *} any text), or {@code all}
     * @return the matching rows, in report order
     * @throws IllegalArgumentException when a part matches nothing
     */
    static List<Row> select(final String spec) {
        final List<Row> all = all();
        if (spec.equals("all")) {
            return all;
        }
        final List<Pattern> patterns = new ArrayList<>();
        for (final String part : spec.split(",")) {
            final Pattern p = Pattern.compile(Pattern.quote(part.trim()).replace("*", "\\E.*\\Q"));
            if (all.stream().noneMatch(r -> p.matcher(r.id()).matches())) {
                throw new IllegalArgumentException("no row matches '" + part + "'; rows: "
                    + all.stream().map(Row::id).toList());
            }
            patterns.add(p);
        }
        return all.stream().filter(r -> patterns.stream().anyMatch(p -> p.matcher(r.id()).matches())).toList();
    }
}
