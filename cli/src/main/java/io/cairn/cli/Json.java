package io.cairn.cli;

import java.util.List;
import java.util.stream.Collectors;

/** Minimal JSON output for {@code --json} (stable keys, one object per line). */
final class Json {
    private Json() {
    }

    static String str(final String s) {
        final StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String list(final List<String> items) {
        return items.stream().map(Json::str).collect(Collectors.joining(",", "[", "]"));
    }
}
