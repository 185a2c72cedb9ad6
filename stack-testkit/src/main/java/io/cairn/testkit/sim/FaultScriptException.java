package io.cairn.testkit.sim;

/**
 * A fault script ({@link FaultScript}) that cannot be read: names the file, the line, the offending text and the
 * fix, so a command line tool can print it as is.
 */
public final class FaultScriptException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String text;
    private final String problem;
    private final String fix;

    /**
     * @param source  the file (or other source) name
     * @param line    1-based line number
     * @param text    the offending line, as written
     * @param problem what is wrong
     * @param fix     how to fix it
     */
    public FaultScriptException(final String source, final int line, final String text, final String problem,
                                final String fix) {
        super(source + ":" + line + ": " + problem + "\n  " + text.strip() + "\n  fix: " + fix);
        this.source = source;
        this.line = line;
        this.text = text;
        this.problem = problem;
        this.fix = fix;
    }

    /** @return the file (or other source) name */
    public String source() {
        return source;
    }

    /** @return the 1-based line number */
    public int line() {
        return line;
    }

    /** @return the offending line */
    public String text() {
        return text;
    }

    /** @return what is wrong */
    public String problem() {
        return problem;
    }

    /** @return how to fix it */
    public String fix() {
        return fix;
    }
}
