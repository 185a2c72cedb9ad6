package io.cairn.stack.runtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A parked stack thread comes back as soon as input arrives, and a wake just before it parks is not lost; with a
 * receive poller, the thread polls after every duty cycle, waits in the poller instead of parking, and a wake ends
 * that wait through the poller.
 */
class WakeableIdleStrategyTest {
    /** Parks of ten minutes: a test that passes cannot have waited one out. */
    private static final long LONG_PARK_NS = TimeUnit.MINUTES.toNanos(10);

    /** Starts a thread that idles once on {@code idle} and then counts {@code done} down. */
    private static Thread idleOnce(final WakeableIdleStrategy idle, final CountDownLatch done) {
        final Thread t = new Thread(() -> {
            idle.idle(0);
            done.countDown();
        });
        t.start();
        return t;
    }

    /** Spins until {@code condition} holds, for at most 10 s. */
    private static void spinUntil(final java.util.function.BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldReturnFromAParkWhenWoken() throws Exception {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(0, 0, LONG_PARK_NS, LONG_PARK_NS);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread t = idleOnce(idle, done);
        spinUntil(() -> t.getState() == Thread.State.TIMED_WAITING);
        assertThat(t.getState()).as("parked").isEqualTo(Thread.State.TIMED_WAITING);
        idle.wake();
        assertThat(done.await(10, TimeUnit.SECONDS)).as("woken long before its park ends").isTrue();
    }

    @Test
    void shouldNotParkWhenWokenBeforehand() throws Exception {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(0, 0, LONG_PARK_NS, LONG_PARK_NS);
        idle.wake();
        final CountDownLatch done = new CountDownLatch(1);
        idleOnce(idle, done);
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
        spinUntil(() -> t.getState() == Thread.State.TIMED_WAITING);
        assertThat(t.getState()).as("the wake was used once; the second idle parks").isEqualTo(
            Thread.State.TIMED_WAITING);
        idle.wake();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
    }

    /** A poller that records calls: {@code input} datagrams for the next poll; a wait ends on wakeup. */
    private static final class FakePoller implements io.cairn.stack.spi.ReceivePoller {
        final java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger awaits = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger wakeups = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.Semaphore woken = new java.util.concurrent.Semaphore(0);
        volatile int input;
        volatile long lastWaitNs;

        @Override
        public int poll() {
            polls.incrementAndGet();
            final int n = input;
            input = 0;
            return n;
        }

        @Override
        public void await(final long nanos) {
            awaits.incrementAndGet();
            lastWaitNs = nanos;
            try {
                woken.tryAcquire(nanos, TimeUnit.NANOSECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
            woken.release();
        }
    }

    @Test
    void shouldPollAfterEveryDutyCycleAndNotWaitWhenInputCame() {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(100, 0, LONG_PARK_NS, LONG_PARK_NS);
        final FakePoller p = new FakePoller();
        idle.poller(p);
        idle.idle(5); // busy: still polled
        assertThat(p.polls).hasValue(1);
        p.input = 1;
        idle.idle(0); // idle, but the poll read something: no spin, no wait
        assertThat(p.polls).hasValue(2);
        assertThat(p.awaits).hasValue(0);
    }

    @Test
    void shouldSkipTheSpinsKeepTheYieldsAndThenWaitInThePoller() {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(100, 3, 1_000, 1_000_000);
        final FakePoller p = new FakePoller();
        idle.poller(p);
        for (int i = 0; i < 3; i++) {
            idle.idle(0);
            assertThat(p.awaits).as("yield %d", i).hasValue(0);
        }
        idle.idle(0);
        assertThat(p.awaits).as("after the yields, not 100 spins").hasValue(1);
        assertThat(p.lastWaitNs).isEqualTo(1_000);
        idle.idle(0);
        assertThat(p.lastWaitNs).as("doubles like a park").isEqualTo(2_000);
        assertThat(p.polls).hasValue(5);
    }

    @Test
    void shouldEndAWaitInThePollerWhenWoken() throws Exception {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(0, 0, LONG_PARK_NS, LONG_PARK_NS);
        final FakePoller p = new FakePoller();
        idle.poller(p);
        final CountDownLatch done = new CountDownLatch(1);
        idleOnce(idle, done);
        spinUntil(() -> p.awaits.get() > 0);
        idle.wake();
        assertThat(done.await(10, TimeUnit.SECONDS)).as("woken long before its wait ends").isTrue();
        assertThat(p.wakeups).as("through the poller").hasValue(1);
        idle.wake();
        idle.idle(0);
        assertThat(p.awaits).as("a wake before the wait: no wait").hasValue(1);
    }
}
