package io.cairn.client;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * A client's identity: 128 random bits, chosen once per {@link GroupClient}. The group deduplicates a client's
 * messages by this id and their sequence numbers.
 *
 * @param hi high 64 bits
 * @param lo low 64 bits
 */
public record ClientId(long hi, long lo) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** @return a fresh random id */
    public static ClientId random() {
        return new ClientId(RANDOM.nextLong(), RANDOM.nextLong());
    }

    @Override
    public String toString() {
        return new UUID(hi, lo).toString();
    }
}
