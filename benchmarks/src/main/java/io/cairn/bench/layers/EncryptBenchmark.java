package io.cairn.bench.layers;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.layers.encrypt.EncryptLayer;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.runtime.StackListener;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.runtime.StackRuntime;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import io.cairn.testkit.ManualClock;
import io.cairn.testkit.TestSecret;
import org.agrona.DirectBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cost of the encrypt layer per frame: one cast through a sender's stack (sealed on its way out) and into a
 * receiver's stack (opened, delivered), both in INVOKER mode on this thread, with and without encrypt at the bottom.
 * The difference of the two scores is seal + open; run with {@code -prof gc} for B/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EncryptBenchmark {
    private static final MemberId A = MemberId.parse("a");
    private static final MemberId B = MemberId.parse("b");

    @Param({"true", "false"})
    boolean encrypt;

    @Param({"100", "1024", "16384"})
    int size;

    private StackRuntime sender;
    private StackRuntime receiver;
    private final UnsafeBuffer wire = new UnsafeBuffer(ByteBuffer.allocateDirect(65536));
    private int wireLength;
    private long delivered;
    private UnsafeBuffer payload;

    @Setup(Level.Trial)
    public void setUp() {
        payload = new UnsafeBuffer(new byte[size]);
        sender = stack(A);
        receiver = stack(B);
        // The receiver verifies the sender's session once: a first frame, a challenge, an answer.
        castAndReceive();
        sender.offerFrame(wire, 0, wireLength);
        sender.doWork();
        receiver.offerFrame(wire, 0, wireLength);
        receiver.doWork();
    }

    /** @return deliveries so far (a run whose receiver delivers nothing measured nothing: see tearDown) */
    @Benchmark
    public long castAndReceive() {
        sender.offerCast(payload, 0, size);
        sender.doWork();
        receiver.offerFrame(wire, 0, wireLength);
        receiver.doWork();
        return delivered;
    }

    @org.openjdk.jmh.annotations.TearDown(Level.Trial)
    public void checkDelivered() {
        if (delivered < 1000) {
            throw new IllegalStateException("the receiver delivered only " + delivered + " casts");
        }
    }

    private StackRuntime stack(final MemberId self) {
        // A static view has no membership to hand out view keys over: seal and open under the group secret's keys
        // (a view key costs the same per frame; only its key derivation differs, and that is cached per sealer).
        final Config settings = ConfigFactory.parseMap(java.util.Map.of("secret-file", TestSecret.file().toString(),
                "view-keys", "off"))
            .withFallback(ConfigFactory.defaultReference().getConfig("cairn.layer.encrypt"));
        final List<StackParams.LayerEntry> layers = encrypt
            ? List.of(new StackParams.LayerEntry("encrypt", new EncryptLayer(), settings)) : List.of();
        final StackRuntime rt = new StackRuntime(new StackParams("bench", self, layers, new LastFrame(),
            new ManualClock(), self.key(), 1 << 20, 1 << 20, View.initial(List.of(A, B)), new StackListener() {
                @Override
                public void onDeliver(final long eventNo, final Message msg) {
                    delivered++;
                }

                @Override
                public void onEvent(final long eventNo, final UpEvent event) {
                }
            }, null));
        rt.onStart();
        rt.doWork();
        return rt;
    }

    /** Keeps the last frame sent, for the other stack to receive. */
    private final class LastFrame implements Transport {
        @Override
        public String name() {
            return "last-frame";
        }

        @Override
        public int maxFrameLength() {
            return 65000;
        }

        @Override
        public java.util.Set<Property> provides() {
            return java.util.Set.of();
        }

        @Override
        public TransportChannel bind(final int groupId, final MemberId self, final FrameReceiver r) {
            return new TransportChannel() {
                @Override
                public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
                    wire.putBytes(0, buffer, offset, length);
                    wireLength = length;
                    return true;
                }

                @Override
                public boolean unicast(final long destination, final DirectBuffer buffer, final int offset,
                                       final int length) {
                    return multicast(buffer, offset, length);
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
