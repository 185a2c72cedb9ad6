package io.cairn.transport.rdma;

import java.util.List;

/** The {@code disni} provider cannot run here; the message lists every missing piece with its fix. */
public final class RdmaUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    RdmaUnavailableException(final List<String> problems) {
        super("RDMA transport (provider disni) is not available on this machine:\n  - "
            + String.join("\n  - ", problems)
            + "\n  (set cairn.transport.rdma.provider = soft or shm to run the same transport without hardware)");
    }
}
