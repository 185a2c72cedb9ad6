package io.cairn.stack.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes what a logger writes while it is open, instead of the console: a warning a test provokes on purpose is
 * asserted, not left in the build output as if something had gone wrong.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final boolean parents;
    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture(final String name) {
        logger = Logger.getLogger(name);
        parents = logger.getUseParentHandlers();
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    /**
     * @param name the logger (a {@code System.Logger} of that name writes to it)
     * @return a capture, until closed
     */
    public static LogCapture of(final String name) {
        return new LogCapture(name);
    }

    /** @return what was logged so far */
    public synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public synchronized void publish(final LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parents);
    }
}
