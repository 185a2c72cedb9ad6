package io.cairn.testkit.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NDJSON form of trace events: one flat object per line, keys in a fixed order, fields an event type does not use
 * left out. The parser reads exactly what the writer writes (flat objects of strings, integers, booleans and lists
 * of strings) and rejects anything else with a message naming the line.
 */
public final class TraceJson {
    private TraceJson() {
    }

    /**
     * @param e an event
     * @return its NDJSON line (without newline)
     */
    public static String write(final TraceEvent e) {
        final StringBuilder sb = new StringBuilder(128).append('{');
        str(sb, "ev", e.type().wire());
        num(sb, "t", e.t());
        if (e.p() != null) {
            str(sb, "p", e.p());
        }
        switch (e.type()) {
            case INSTALL -> {
                str(sb, "vid", e.vid());
                list(sb, "members", e.members());
                sb.append(",\"primary\":").append(e.primary());
                if (e.prevVid() != null) {
                    str(sb, "prevVid", e.prevVid());
                }
            }
            case SEND -> {
                str(sb, "src", e.src());
                num(sb, "seq", e.seq());
                str(sb, "vid", e.vid());
                str(sb, "mode", e.mode().name());
                num(sb, "h", e.h());
            }
            case RECV -> {
                str(sb, "src", e.src());
                num(sb, "seq", e.seq());
            }
            case DELIVER -> {
                str(sb, "src", e.src());
                num(sb, "seq", e.seq());
                str(sb, "vid", e.vid());
                str(sb, "mode", e.mode().name());
                num(sb, "h", e.h());
                num(sb, "idx", e.idx());
                if (e.gseq() != 0) {
                    num(sb, "gseq", e.gseq());
                }
            }
            case SUSPECT -> str(sb, "q", e.src());
            case STATE_SENT, STATE_RECV -> {
                str(sb, "to", e.src());
                str(sb, "vid", e.vid());
                num(sb, "cut", e.gseq());
                num(sb, "digest", e.value());
            }
            case REJECT -> {
                str(sb, "reason", e.name());
                if (e.src() != null) {
                    str(sb, "src", e.src());
                }
            }
            case GAUGE -> {
                str(sb, "name", e.name());
                num(sb, "value", e.value());
            }
            case FAULT -> {
                str(sb, "kind", e.name());
                str(sb, "args", e.args() == null ? "" : e.args());
            }
            case EXIT -> str(sb, "reason", e.name() == null ? "" : e.name());
            case FINAL -> {
                str(sb, "vid", e.vid());
                num(sb, "digest", e.value());
            }
            default -> {
            }
        }
        return sb.append('}').toString();
    }

    private static void str(final StringBuilder sb, final String key, final String value) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        sb.append('"').append(key).append("\":\"");
        escape(sb, value);
        sb.append('"');
    }

    private static void escape(final StringBuilder sb, final String value) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }

    private static void num(final StringBuilder sb, final String key, final long value) {
        sb.append(",\"").append(key).append("\":").append(value);
    }

    private static void list(final StringBuilder sb, final String key, final List<String> values) {
        sb.append(",\"").append(key).append("\":[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "\"" : ",\"");
            escape(sb, values.get(i));
            sb.append('"');
        }
        sb.append(']');
    }

    /**
     * Parses one NDJSON line.
     *
     * @param line the line
     * @return the event
     * @throws IllegalArgumentException on anything the writer would not have written
     */
    public static TraceEvent parse(final String line) {
        final Map<String, Object> m = new Parser(line).object();
        final TraceEvent.Type type = TraceEvent.Type.valueOf(((String) req(m, "ev", line)).toUpperCase());
        final long t = (Long) req(m, "t", line);
        final String p = (String) m.get("p");
        final String mode = (String) m.get("mode");
        final TraceEvent.Mode md = mode == null ? null : TraceEvent.Mode.valueOf(mode);
        @SuppressWarnings("unchecked")
        final List<String> members = (List<String>) m.get("members");
        return switch (type) {
            case INSTALL -> TraceEvent.install(t, p, (String) m.get("vid"), members,
                Boolean.TRUE.equals(m.get("primary")), (String) m.get("prevVid"));
            case SEND -> TraceEvent.send(t, p, l(m, "seq"), (String) m.get("vid"), md, l(m, "h"));
            case RECV -> TraceEvent.recv(t, p, (String) m.get("src"), l(m, "seq"));
            case DELIVER -> TraceEvent.deliver(t, p, (String) m.get("src"), l(m, "seq"), (String) m.get("vid"), md,
                l(m, "h"), l(m, "idx"), l(m, "gseq"));
            case SUSPECT -> TraceEvent.suspect(t, p, (String) m.get("q"));
            case STATE_SENT, STATE_RECV -> TraceEvent.state(type == TraceEvent.Type.STATE_RECV, t, p,
                (String) m.get("to"), (String) m.get("vid"), l(m, "cut"), l(m, "digest"));
            case REJECT -> TraceEvent.reject(t, p, (String) m.get("reason"), (String) m.get("src"));
            case GAUGE -> TraceEvent.gauge(t, p, (String) m.get("name"), l(m, "value"));
            case FAULT -> TraceEvent.fault(t, (String) m.get("kind"), (String) m.get("args"));
            case EXIT -> TraceEvent.exit(t, p, (String) m.get("reason"));
            case FINAL -> TraceEvent.finalState(t, p, (String) m.get("vid"), l(m, "digest"));
            default -> TraceEvent.simple(type, t, p);
        };
    }

    private static Object req(final Map<String, Object> m, final String key, final String line) {
        final Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("trace line lacks \"" + key + "\": " + line);
        }
        return v;
    }

    private static long l(final Map<String, Object> m, final String key) {
        final Object v = m.get(key);
        return v == null ? 0 : (Long) v;
    }

    /** A parser for the flat objects written above. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(final String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            final Map<String, Object> out = new HashMap<>();
            expect('{');
            if (peek() == '}') {
                i++;
                return out;
            }
            do {
                final String key = string();
                expect(':');
                out.put(key, value());
            } while (tryConsume(','));
            expect('}');
            return out;
        }

        private Object value() {
            final char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '[') {
                i++;
                final List<String> items = new ArrayList<>();
                if (peek() != ']') {
                    do {
                        items.add(string());
                    } while (tryConsume(','));
                }
                expect(']');
                return items;
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            final int start = i;
            if (peek() == '-') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            try {
                return Long.parseLong(s.substring(start, i));
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("bad value at column " + start + ": " + s, e);
            }
        }

        private String string() {
            expect('"');
            final StringBuilder sb = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    c = s.charAt(i++);
                    if (c == 'u') {
                        c = (char) Integer.parseInt(s.substring(i, i + 4), 16);
                        i += 4;
                    }
                }
                sb.append(c);
            }
            expect('"');
            return sb.toString();
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("truncated trace line: " + s);
            }
            return s.charAt(i);
        }

        private boolean tryConsume(final char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(final char c) {
            if (!tryConsume(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + i + ": " + s);
            }
        }
    }
}
