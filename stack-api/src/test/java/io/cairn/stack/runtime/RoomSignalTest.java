package io.cairn.stack.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread refused room waits until the stack announces some, and no announcement is lost to a race with the
 * waiter's registration. Parks here last ten minutes, so a test that passes cannot have waited one out.
 */
class RoomSignalTest {
    private static final long LONG_PARK_NS = TimeUnit.MINUTES.toNanos(10);

    @Test
    void shouldWakeAParkedWaiterWhenRoomIsAnnounced() throws Exception {
        final RoomSignal room = new RoomSignal();
        final CountDownLatch done = new CountDownLatch(1);
        final Thread t = daemon(() -> {
            room.await(room.epoch(), LONG_PARK_NS);
            done.countDown();
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(room.waiting() && t.getState() == Thread.State.TIMED_WAITING) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(t.getState()).as("parked").isEqualTo(Thread.State.TIMED_WAITING);
        room.announce();
        assertThat(done.await(10, TimeUnit.SECONDS)).as("woken long before its park ends").isTrue();
        assertThat(room.waiting()).isFalse();
    }

    @Test
    void shouldNotParkWhenRoomWasAnnouncedSinceTheRefusedOffer() throws Exception {
        final RoomSignal room = new RoomSignal();
        final long seen = room.epoch();
        room.announce();
        final CountDownLatch done = new CountDownLatch(1);
        daemon(() -> {
            room.await(seen, LONG_PARK_NS);
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).as("the announcement before it registered counts").isTrue();
    }

    /**
     * Waiters and the announcer race in lock step: each round the announcer makes room for the round and announces
     * exactly once, then waits for every waiter to take it; a waiter reads the epoch, looks for room, and waits if
     * there is none. One lost wake leaves a waiter parked for ten minutes and the round unfinished. The race's
     * window is nanoseconds wide, so this runs the protocol through many interleavings rather than proving it.
     */
    @Test
    void shouldNeverLoseAnAnnouncementToARace() throws Exception {
        final RoomSignal room = new RoomSignal();
        final int waiters = 2;
        final int rounds = 20_000;
        final AtomicInteger roomFor = new AtomicInteger();
        final AtomicInteger taken = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < waiters; w++) {
            threads.add(daemon(() -> {
                for (int r = 1; r <= rounds; r++) {
                    for (;;) {
                        final long seen = room.epoch();
                        if (roomFor.get() >= r) {
                            break; // the offer is taken
                        }
                        room.await(seen, LONG_PARK_NS);
                    }
                    taken.incrementAndGet();
                }
            }));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int round = 0;
        while (round < rounds && System.nanoTime() < deadline) {
            if (taken.get() == waiters * round) {
                roomFor.set(++round);
                room.announce();
            } else {
                Thread.onSpinWait();
            }
        }
        while (taken.get() < waiters * rounds && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        threads.forEach(LockSupport::unpark); // a failed run leaves no thread parked for minutes
        assertThat(taken.get()).as("every round taken by every waiter: no announcement was slept through")
            .isEqualTo(waiters * rounds);
    }

    @Test
    void shouldStillWaitBoundedlyWhenEverySlotIsTaken() throws Exception {
        final RoomSignal room = new RoomSignal();
        final List<Thread> parked = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            parked.add(daemon(() -> room.await(room.epoch(), LONG_PARK_NS)));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(parked.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING) && room.waiting())
            && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(parked).as("all eight slots taken").allMatch(t -> t.getState() == Thread.State.TIMED_WAITING);
        final CountDownLatch ninth = new CountDownLatch(1);
        daemon(() -> {
            room.await(room.epoch(), LONG_PARK_NS);
            ninth.countDown();
        });
        assertThat(ninth.await(10, TimeUnit.SECONDS)).as("no slot: a short park, not a long one").isTrue();
        room.announce();
        for (final Thread p : parked) {
            p.join(10_000);
            assertThat(p.isAlive()).isFalse();
        }
    }

    /** A started daemon thread: a failed test leaves none parked that would hold the JVM. */
    private static Thread daemon(final Runnable body) {
        final Thread t = new Thread(body);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
