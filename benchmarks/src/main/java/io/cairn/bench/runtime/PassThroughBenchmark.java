package io.cairn.bench.runtime;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.runtime.StackListener;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.runtime.StackRuntime;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the event bus: one cast down through N layers to the transport, looped back, and delivered up through
 * the same N layers to the listener, in INVOKER mode (one thread, no queues between threads except the stack's own
 * rings). {@code forwarding} layers override onCast/onDeliver and forward (the real dispatch cost);
 * {@code skipped} layers override nothing and are bypassed by the skip mask. The per-layer cost is the slope
 * between layer counts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PassThroughBenchmark {
    @Param({"0", "1", "4", "16"})
    int layers;

    @Param({"forwarding", "skipped"})
    String kind;

    @Param({"100"})
    int payloadSize;

    private StackRuntime stack;
    private UnsafeBuffer payload;
    private long delivered;

    @Setup(Level.Trial)
    public void setUp() {
        final MemberId self = new MemberId("bench", 0);
        final List<StackParams.LayerEntry> entries = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            final Layer l = kind.equals("forwarding") ? new Forwarding(100 + i) : new Skipped(100 + i);
            entries.add(new StackParams.LayerEntry("l" + i, l, ConfigFactory.empty()));
        }
        stack = new StackRuntime(new StackParams("bench", self, entries, new LoopbackTransport(),
            new SystemNanoClock(), 1, 1 << 20, 1 << 20, View.initial(List.of(self)), new StackListener() {
                @Override
                public void onDeliver(final long eventNo, final Message msg) {
                    delivered++;
                }

                @Override
                public void onEvent(final long eventNo, final UpEvent event) {
                }
            }, null));
        stack.onStart();
        payload = new UnsafeBuffer(new byte[payloadSize]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (delivered == 0) {
            throw new IllegalStateException("nothing was delivered");
        }
        stack.stop();
    }

    /** @return deliveries so far (sunk by JMH) */
    @Benchmark
    public long castDownAndDeliverUp() {
        stack.offerCast(payload, 0, payloadSize);
        stack.doWork();
        return delivered;
    }

    /** Overrides the data handlers and forwards. */
    public static final class Forwarding implements Layer {
        private final int id;

        Forwarding(final int id) {
            this.id = id;
        }

        @Override
        public int layerId() {
            return id;
        }

        @Override
        public void onCast(final LayerContext ctx, final Message msg) {
            ctx.cast(msg);
        }

        @Override
        public void onDeliver(final LayerContext ctx, final Message msg) {
            ctx.deliver(msg);
        }
    }

    /** Overrides nothing: the skip mask bypasses it. */
    public static final class Skipped implements Layer {
        private final int id;

        Skipped(final int id) {
            this.id = id;
        }

        @Override
        public int layerId() {
            return id;
        }

        @Override
        public Set<Property> provides() {
            return Set.of();
        }
    }

    /** Loops every frame straight back into the stack's inbound ring. */
    static final class LoopbackTransport implements Transport {
        @Override
        public String name() {
            return "bench-loop";
        }

        @Override
        public int maxFrameLength() {
            return 64 * 1024;
        }

        @Override
        public Set<Property> provides() {
            return Set.of();
        }

        @Override
        public TransportChannel bind(final int groupId, final MemberId self, final FrameReceiver receiver) {
            return new TransportChannel() {
                @Override
                public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
                    return receiver.onFrame(buffer, offset, length);
                }

                @Override
                public boolean unicast(final long destination, final DirectBuffer buffer, final int offset,
                                       final int length) {
                    return receiver.onFrame(buffer, offset, length);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
