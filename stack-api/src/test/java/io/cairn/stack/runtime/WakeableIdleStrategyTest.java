package io.cairn.stack.runtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A parked stack thread comes back as soon as input arrives, and a wake just before it parks is not lost. */
class WakeableIdleStrategyTest {
    /** Parks of ten minutes: a test that passes cannot have waited one out. */
    private static final long LONG_PARK_NS = TimeUnit.MINUTES.toNanos(10);

    @Test
    void shouldReturnFromAParkWhenWoken() throws Exception {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(0, 0, LONG_PARK_NS, LONG_PARK_NS);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread t = new Thread(() -> {
            idle.idle(0);
            done.countDown();
        });
        t.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(t.getState()).as("parked").isEqualTo(Thread.State.TIMED_WAITING);
        idle.wake();
        assertThat(done.await(10, TimeUnit.SECONDS)).as("woken long before its park ends").isTrue();
    }

    @Test
    void shouldNotParkWhenWokenBeforehand() throws Exception {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(0, 0, LONG_PARK_NS, LONG_PARK_NS);
        idle.wake();
        final CountDownLatch done = new CountDownLatch(1);
        final Thread t = new Thread(() -> {
            idle.idle(0);
            done.countDown();
        });
        t.start();
        assertThat(done.await(10, TimeUnit.SECONDS)).as("the earlier wake was kept").isTrue();
    }

    @Test
    void shouldStillParkWhenNothingArrives() throws Exception {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(0, 0, LONG_PARK_NS, LONG_PARK_NS);
        idle.wake();
        final Thread t = new Thread(() -> {
            idle.idle(0);
            idle.idle(0);
        });
        t.setDaemon(true);
        t.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(t.getState()).as("the wake was used once; the second idle parks").isEqualTo(
            Thread.State.TIMED_WAITING);
        idle.wake();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
    }
}
