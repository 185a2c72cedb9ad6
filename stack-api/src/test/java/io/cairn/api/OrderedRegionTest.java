package io.cairn.api;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderedRegionTest {
    private static final int THREADS = 8;
    private static final long EVENTS = 1_000_000;

    /** Not volatile on purpose: the region alone must order and publish these. */
    private long last;
    private long sectionsRun;

    @Test
    void shouldRunCriticalSectionsInExactEventOrderAcrossEightThreads() throws Exception {
        final OrderedRegion region = new OrderedRegion();
        final AtomicLong tickets = new AtomicLong(1);
        final AtomicReference<String> violation = new AtomicReference<>();
        final Thread[] workers = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final long seed = t;
            workers[t] = new Thread(() -> {
                final SplittableRandom rnd = new SplittableRandom(seed);
                long n;
                while ((n = tickets.getAndIncrement()) <= EVENTS) {
                    // Unordered work of random length, so threads reach the region out of order.
                    for (int spin = rnd.nextInt(64); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                    if (n % 97 == 0) {
                        region.skip(n);
                        continue;
                    }
                    region.enter(n);
                    final long expected = n > 1 && (n - 1) % 97 == 0 ? n - 2 : n - 1;
                    if (last != expected && violation.get() == null) {
                        violation.set("event " + n + " entered after " + last);
                    }
                    last = n;
                    sectionsRun++;
                    region.leave(n);
                }
            }, "worker-" + t);
            workers[t].start();
        }
        for (final Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(3));
            assertThat(w.isAlive()).as("worker finished: a lost wake-up would hang it").isFalse();
        }
        region.enter(EVENTS + 1);
        assertThat(violation.get()).isNull();
        assertThat(last).isEqualTo(EVENTS % 97 == 0 ? EVENTS - 1 : EVENTS);
        assertThat(sectionsRun).isEqualTo(EVENTS - EVENTS / 97);
        assertThat(region.next()).isEqualTo(EVENTS + 1);
    }

    @Test
    void shouldWakeParkedWaiterWhenPredecessorLeavesLate() throws Exception {
        final OrderedRegion region = new OrderedRegion();
        final AtomicLong entered = new AtomicLong();
        final Thread waiter = new Thread(() -> {
            region.enter(2);
            entered.set(2);
            region.leave(2);
        });
        waiter.start();
        region.enter(1);
        // The waiter has long finished spinning and is parked by the time event 1 leaves.
        waiter.join(50);
        assertThat(entered.get()).isZero();
        region.leave(1);
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(entered.get()).isEqualTo(2);
        assertThat(region.next()).isEqualTo(3);
    }

    @Test
    void shouldRejectEventsThatPassedOrLeavingOutOfTurn() {
        final OrderedRegion region = new OrderedRegion();
        region.run(1, () -> { });
        assertThatThrownBy(() -> region.enter(1)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already passed");
        assertThatThrownBy(() -> region.leave(5)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("admits 2");
    }
}
