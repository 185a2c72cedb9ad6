package io.cairn.stack.store;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class MessageLogTest {
    private static UnsafeBuffer bytes(final long seq, final int len) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[len]);
        for (int i = 0; i < len; i++) {
            b.putByte(i, (byte) (seq * 31 + i));
        }
        return b;
    }

    @Test
    void shouldMoveTheBaseWhenTheLowestEntryIsRemovedSoTheIndexStaysBounded() {
        // A log used as a waiting room (entries removed one by one, roughly in order) once grew its index forever.
        final MessageLog log = new MessageLog(4096);
        for (long k = 1; k <= 1_000_000; k++) {
            log.put(k, bytes(1, 16), 0, 16);
            if (k > 2) {
                log.remove(k - 1);
            }
        }
        assertThat(log.base()).as("entry 1 is still there").isEqualTo(1);
        log.remove(1);
        assertThat(log.base()).isEqualTo(1_000_000);
        assertThat(log.count()).isEqualTo(1);
        assertThat(log.put(5, bytes(1, 16), 0, 16)).as("below the base").isFalse();
    }

    @Test
    void shouldStoreOutOfOrderRefuseDuplicatesAndTrimInOrder() {
        final MessageLog log = new MessageLog(256);
        assertThat(log.put(3, bytes(3, 10), 0, 10)).isTrue();
        assertThat(log.put(1, bytes(1, 20), 0, 20)).isTrue();
        assertThat(log.put(3, bytes(3, 10), 0, 10)).isFalse();
        assertThat(log.contains(2)).isFalse();
        assertThat(log.count()).isEqualTo(2);
        assertThat(log.bytes()).isEqualTo(30);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        assertThat(log.copy(3, out, 5)).isEqualTo(10);
        assertThat(out.getByte(5)).isEqualTo(bytes(3, 10).getByte(0));
        log.trimTo(2);
        assertThat(log.contains(1)).isFalse();
        assertThat(log.put(2, bytes(2, 5), 0, 5)).isFalse();
        assertThat(log.contains(3)).isTrue();
        log.clear();
        assertThat(log.count()).isZero();
        assertThat(log.put(1, bytes(1, 5), 0, 5)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void shouldMatchAModelUnderRandomPutsAndTrimsAndReuseChunks(final long seed) {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final MessageLog log = new MessageLog(1024);
        final Map<Long, Integer> model = new HashMap<>();
        long trimmed = 0;
        long next = 1;
        for (int step = 0; step < 50_000; step++) {
            if (rnd.nextInt(3) > 0) {
                final long seq = next + rnd.nextInt(8);
                next = Math.max(next, seq - 4);
                final int len = 1 + rnd.nextInt(rnd.nextInt(20) == 0 ? 3000 : 300);
                final boolean expected = seq > trimmed && !model.containsKey(seq);
                assertThat(log.put(seq, bytes(seq, len), 0, len)).isEqualTo(expected);
                if (expected) {
                    model.put(seq, len);
                }
            } else {
                trimmed = Math.max(trimmed, next - 1 - rnd.nextInt(16));
                log.trimTo(trimmed);
                final long t = trimmed;
                model.keySet().removeIf(s -> s <= t);
            }
            next++;
        }
        assertThat(log.count()).isEqualTo(model.size());
        assertThat(log.bytes()).isEqualTo(model.values().stream().mapToLong(Integer::longValue).sum());
        final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
        model.forEach((seq, len) -> {
            assertThat(log.copy(seq, out, 0)).isEqualTo(len);
            assertThat(out.getByte(len - 1)).isEqualTo(bytes(seq, len).getByte(len - 1));
        });
    }

    /** Full-size chunks live off the heap in a shared pool: a closed log's go back, the next log reuses them. */
    @Test
    void shouldGiveItsOffHeapChunksBackWhenClosedForTheNextLogToReuse() {
        final int size = 8192 + 72; // no other log uses this size: the pool keeps chunks per size
        final long before = ChunkPool.pooledBytes();
        final MessageLog a = MessageLog.pooled(size);
        for (long seq = 1; seq <= 400; seq++) {
            a.put(seq, bytes(seq, 100), 0, 100);
        }
        a.close();
        final long given = ChunkPool.pooledBytes() - before;
        assertThat(given).as("40,000 bytes past the 4 KiB first chunk: several full-size chunks").isGreaterThan(size)
            .matches(g -> g % size == 0);
        a.close();
        assertThat(ChunkPool.pooledBytes() - before).as("closed twice, given once").isEqualTo(given);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.put(1, bytes(1, 10), 0, 10))
            .isInstanceOf(IllegalStateException.class);
        final MessageLog heap = new MessageLog(size);
        for (long seq = 1; seq <= 400; seq++) {
            heap.put(seq, bytes(seq, 100), 0, 100);
        }
        heap.close();
        assertThat(ChunkPool.pooledBytes() - before).as("a plain log is all on the heap").isEqualTo(given);
        final MessageLog b = MessageLog.pooled(size);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[100]);
        for (long seq = 1; seq <= 400; seq++) {
            b.put(seq, bytes(seq + 7, 100), 0, 100);
        }
        assertThat(ChunkPool.pooledBytes() - before).as("the second log took them").isZero();
        for (long seq = 1; seq <= 400; seq++) {
            assertThat(b.copy(seq, out, 0)).isEqualTo(100);
            assertThat(out.getByte(99)).isEqualTo(bytes(seq + 7, 100).getByte(99));
        }
        b.close();
    }

    /** A delivery's total-order number is not in its bytes: the log keeps it beside them, through growth. */
    @Test
    void shouldReplayADeliveryWithItsOrder() {
        final MessageLog log = new MessageLog(256);
        final io.cairn.stack.event.Message m = new io.cairn.stack.event.Message();
        for (long seq = 1; seq <= 200; seq++) {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[48]);
            b.putLong(40, seq * 3);
            assertThat(log.put(seq, m.wrap(b, 0, 48, 40).order(1000 + seq))).isTrue();
        }
        log.put(201, new UnsafeBuffer(new byte[48]), 0, 48);
        final io.cairn.stack.event.Message out = new io.cairn.stack.event.Message();
        for (long seq = 1; seq <= 200; seq++) {
            log.replay(seq, out, 40);
            assertThat(out.order()).isEqualTo(1000 + seq);
            assertThat(out.buffer().getLong(out.offset() + 40)).isEqualTo(seq * 3);
            assertThat(out.payloadOffset()).isEqualTo(out.offset() + 40);
        }
        assertThat(log.replay(201, out, 40).order()).as("stored as bytes only").isZero();
    }
}
