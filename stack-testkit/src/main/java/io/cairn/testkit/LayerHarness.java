package io.cairn.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.InstallView;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.api.View;
import io.cairn.stack.runtime.StackListener;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.runtime.StackRuntime;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.ViewTag;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives one layer between recording stubs (Netty's {@code EmbeddedChannel}): the real stack runtime in INVOKER
 * mode with a manual clock, the layer alone in it, a transport that records what leaves the bottom and a listener
 * that records what leaves the top. No threads, no sleeps; time moves only through {@link #advance}.
 *
 * <pre>{@code
 * LayerHarness h = LayerHarness.of(new FifoLayer()).members("a", "b").build();
 * h.cast("x");                                   // from the application above
 * h.fromPeer("b", (buf, off) -> header.wrap(buf, off).seq(1), "y");   // a frame from b's same layer
 * h.advance(20, MILLISECONDS);                   // timers fire
 * assertThat(h.sentDown()).hasSize(1);
 * }</pre>
 */
public final class LayerHarness implements AutoCloseable {
    /** Writes the layer's header into a frame being built. */
    @FunctionalInterface
    public interface HeaderWriter {
        /**
         * @param buffer frame buffer
         * @param offset absolute offset of the layer's header slot (or control body)
         */
        void write(MutableDirectBuffer buffer, int offset);
    }

    private final ManualClock clock;
    private final StackRuntime runtime;
    private final View view;
    private final List<Frame> sentDown = new ArrayList<>();
    private final List<Frame> deliveredUp = new ArrayList<>();
    private final List<UpEvent> eventsUp = new ArrayList<>();
    private final List<Long> eventNumbers = new ArrayList<>();
    private final List<DownEvent> eventsDown = new ArrayList<>();
    private final java.util.Map<Long, View> viewsByEpoch = new java.util.HashMap<>();
    private io.cairn.stack.spi.LayerContext bottomContext;
    private final int headerLength;
    private final int headroom;
    private final String layerName;
    private final java.util.function.Consumer<UpEvent> application;

    private LayerHarness(final Builder b) {
        this.clock = b.clock;
        this.view = b.staticView ? View.initial(b.members) : null;
        if (view != null) {
            viewsByEpoch.put(view.id().epoch(), view);
        }
        final Layer layer = b.layer;
        this.headerLength = layer.headerLength();
        this.layerName = b.name;
        this.application = b.application;
        final RecordingTransport transport = new RecordingTransport("harness", b.maxFrameLength, this::sent);
        final Layer bottom = new Layer() {
            @Override
            public int layerId() {
                return 65535;
            }

            @Override
            public void init(final io.cairn.stack.spi.LayerContext ctx) {
                bottomContext = ctx;
            }

            @Override
            public void onDownEvent(final io.cairn.stack.spi.LayerContext ctx, final DownEvent event) {
                eventsDown.add(event);
                seen(event);
                ctx.down(event);
            }
        };
        runtime = new StackRuntime(new StackParams("harness", b.members.get(b.selfIndex),
            List.of(new StackParams.LayerEntry("bottom-probe", bottom, ConfigFactory.empty()),
                new StackParams.LayerEntry(b.name, layer, b.settings)),
            transport, clock, b.seed, 1 << 22, 1 << 22, view, new Top(), null, b.seeds ? b.members : List.of()));
        // The probe has no header, so the layer's header sits right after the frame header.
        this.headroom = runtime.headroom();
        runtime.onStart();
    }

    /**
     * @param layer the layer under test
     * @return a builder
     */
    public static Builder of(final Layer layer) {
        return new Builder(layer);
    }

    // ------------------------------------------------------------------ driving

    /**
     * Casts from the application above the layer, then runs the stack.
     *
     * @param payload message
     * @return this
     */
    public LayerHarness cast(final byte[] payload) {
        if (!runtime.offerCast(new UnsafeBuffer(payload), 0, payload.length)) {
            throw new IllegalStateException("command ring full");
        }
        return run();
    }

    /**
     * @param payload message as UTF-8
     * @return this
     */
    public LayerHarness cast(final String payload) {
        return cast(payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends point-to-point from the application, then runs the stack.
     *
     * @param destination member name (incarnation 0) or name#incarnation
     * @param payload     message
     * @return this
     */
    public LayerHarness send(final String destination, final String payload) {
        final byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        runtime.offerSend(MemberId.parse(destination).key(), new UnsafeBuffer(p), 0, p.length);
        return run();
    }

    /**
     * A down event from above.
     *
     * @param event the event
     * @return this
     */
    public LayerHarness down(final DownEvent event) {
        seen(event);
        runtime.offerEvent(event);
        return run();
    }

    /**
     * A view installed by a membership layer below the layer under test: the bottom of the stack moves to it (frames
     * are stamped and filtered by it), then {@link ViewInstalled} comes up.
     *
     * @param v the view
     * @return this
     */
    public LayerHarness viewFromBelow(final View v) {
        seen(new ViewInstalled(v));
        runtime.offerEvent((Runnable) () -> {
            bottomContext.down(new InstallView(v));
            bottomContext.up(new ViewInstalled(v));
        });
        return run();
    }

    /**
     * An up event from below.
     *
     * @param event the event
     * @return this
     */
    public LayerHarness up(final UpEvent event) {
        seen(event);
        runtime.offerFromBelow(event);
        return run();
    }

    /**
     * A data frame from a peer's same layer, sent in the current view.
     *
     * @param sender  member name or name#incarnation
     * @param header  writes the layer's header
     * @param payload the payload
     * @return this
     */
    public LayerHarness fromPeer(final String sender, final HeaderWriter header, final byte[] payload) {
        return fromPeer(sender, epoch(), false, header, payload);
    }

    /**
     * @param sender  member
     * @param header  writes the layer's header
     * @param payload UTF-8 payload
     * @return this
     */
    public LayerHarness fromPeer(final String sender, final HeaderWriter header, final String payload) {
        return fromPeer(sender, header, payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A data frame with full control over view epoch and unicast flag.
     *
     * @param sender    member
     * @param viewEpoch epoch stamped in the frame header
     * @param unicast   whether it is a point-to-point frame
     * @param header    writes the layer's header
     * @param payload   payload
     * @return this
     */
    public LayerHarness fromPeer(final String sender, final long viewEpoch, final boolean unicast,
                                 final HeaderWriter header, final byte[] payload) {
        final int length = headroom + payload.length;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        new FrameHeader().wrap(b, 0).write(unicast ? FrameHeader.FLAG_UNICAST : 0, runtime.groupId(),
            MemberId.parse(sender).key(), viewTag(viewEpoch), length, 0);
        header.write(b, headroom - headerLength);
        b.putBytes(headroom, payload);
        return inject(b, length);
    }

    /**
     * A control frame from the same layer on a peer.
     *
     * @param sender     member
     * @param bodyLength body length
     * @param body       writes the body (offset is the body start)
     * @return this
     */
    public LayerHarness controlFromPeer(final String sender, final int bodyLength, final HeaderWriter body) {
        final int length = FrameHeader.LENGTH + bodyLength;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        new FrameHeader().wrap(b, 0).write(FrameHeader.FLAG_CONTROL, runtime.groupId(), MemberId.parse(sender).key(),
            viewTag(epoch()), length, runtime.layers()[1].layerId());
        body.write(b, FrameHeader.LENGTH);
        return inject(b, length);
    }

    /**
     * Feeds raw bytes to the bottom of the stack (malformed-input tests).
     *
     * @param frame the bytes
     * @param length how many
     * @return this
     */
    public LayerHarness inject(final DirectBuffer frame, final int length) {
        runtime.offerFrame(frame, 0, length);
        return run();
    }

    /**
     * Advances virtual time and runs the stack (timers fire).
     *
     * @param amount how much
     * @param unit   unit
     * @return this
     */
    public LayerHarness advance(final long amount, final TimeUnit unit) {
        DutyCycles.advance(clock, runtime, unit.toNanos(amount));
        return this;
    }

    /**
     * Runs duty cycles until there is no more work.
     *
     * @return this
     */
    public LayerHarness run() {
        DutyCycles.run(runtime);
        return this;
    }

    private long epoch() {
        final View v = runtime.view();
        return v == null ? 0 : v.id().epoch();
    }

    private void seen(final Object event) {
        if (event instanceof ViewInstalled vi) {
            viewsByEpoch.put(vi.view().id().epoch(), vi.view());
        } else if (event instanceof InstallView iv) {
            viewsByEpoch.put(iv.view().id().epoch(), iv.view());
        }
    }

    /**
     * The tag ({@link ViewTag}) a peer in the view of this epoch stamps in frames and control bodies: that of the
     * view of this epoch the harness saw (the static view, or one a test or the layer installed); for an epoch it
     * never saw, a tag with the latest view's coordinator.
     *
     * @param epoch a view epoch
     * @return the tag
     */
    public long viewTag(final long epoch) {
        final View v = epoch == 0 ? null : viewsByEpoch.get(epoch);
        if (v != null) {
            return ViewTag.of(v.id());
        }
        final View current = runtime.view() != null ? runtime.view() : view;
        return epoch == 0 ? ViewTag.NONE : ViewTag.of(epoch, current == null ? 0 : current.id().coordinator().key());
    }

    /**
     * @param epoch a view epoch
     * @return the tag of another partition's view of this epoch: same epoch, a coordinator no view here has
     */
    public long otherViewTag(final long epoch) {
        return ViewTag.of(epoch, MemberId.keyOf("another-partition's-coordinator", 0));
    }

    // ------------------------------------------------------------------ observing

    /** @return frames that left the bottom (data and control), oldest first */
    public List<Frame> sentDown() {
        return sentDown;
    }

    /** @return data frames that left the bottom */
    public List<Frame> dataSentDown() {
        return sentDown.stream().filter(f -> !f.isControl()).toList();
    }

    /** @return control frames that left the bottom */
    public List<Frame> controlSentDown() {
        return sentDown.stream().filter(Frame::isControl).toList();
    }

    /** @return messages that left the top */
    public List<Frame> deliveredUp() {
        return deliveredUp;
    }

    /** @return payloads that left the top, as UTF-8 strings */
    public List<String> deliveredPayloads() {
        return deliveredUp.stream().map(Frame::payloadString).toList();
    }

    /** @return up events that left the top */
    public List<UpEvent> eventsUp() {
        return eventsUp;
    }

    /** @return event numbers of every upcall, in order */
    public List<Long> eventNumbers() {
        return eventNumbers;
    }

    /** @return down events that reached the bottom */
    public List<DownEvent> eventsDown() {
        return eventsDown;
    }

    /** Forgets everything recorded so far. */
    public void clear() {
        sentDown.clear();
        deliveredUp.clear();
        eventsUp.clear();
        eventsDown.clear();
    }

    /** @return absolute offset of the layer's header in a data {@link Frame} */
    public int headerOffset() {
        return headroom - headerLength;
    }

    /** @return the clock */
    public ManualClock clock() {
        return clock;
    }

    /** @return the runtime (stats, dump) */
    public StackRuntime runtime() {
        return runtime;
    }

    /**
     * @param name counter name without the layer prefix
     * @return the layer's counter value
     */
    public long counter(final String name) {
        return runtime.stats().get(layerName + "." + name);
    }

    @Override
    public void close() {
        runtime.stop();
    }

    private final class Top implements StackListener {
        @Override
        public void onDeliver(final long eventNo, final Message msg) {
            final byte[] copy = new byte[msg.length()];
            msg.buffer().getBytes(msg.offset(), copy);
            deliveredUp.add(new Frame(copy, 0, msg.payloadOffset() - msg.offset(), msg.order()));
            eventNumbers.add(eventNo);
        }

        @Override
        public void onEvent(final long eventNo, final UpEvent event) {
            if (application != null) {
                application.accept(event);
            }
            eventsUp.add(event);
            seen(event);
            eventNumbers.add(eventNo);
        }
    }

    /** Records a sent frame, with its header slot: a data frame's reserved headroom, a control frame's header. */
    private void sent(final byte[] copy, final long destination) {
        final boolean control = (copy[FrameHeader.FLAGS_OFFSET] & FrameHeader.FLAG_CONTROL) != 0;
        sentDown.add(new Frame(copy, destination, control ? FrameHeader.LENGTH : headroom, 0));
    }

    /** Configures a harness. */
    public static final class Builder {
        private final Layer layer;
        private List<MemberId> members = List.of(new MemberId("a", 0), new MemberId("b", 0), new MemberId("c", 0));
        private int selfIndex;
        private Config settings = ConfigFactory.empty();
        private String name = "layer";
        private ManualClock clock = new ManualClock();
        private int maxFrameLength = 1500;
        private long seed = 42;
        private boolean staticView = true;
        private java.util.function.Consumer<UpEvent> application;

        private boolean seeds = true;

        private Builder(final Layer layer) {
            this.layer = layer;
        }

        /**
         * @param names members of the static view, oldest first; the first is this member unless {@link #self}
         * @return this
         */
        public Builder members(final String... names) {
            this.members = java.util.Arrays.stream(names).map(MemberId::parse).toList();
            return this;
        }

        /**
         * @param name which of the members is the local one
         * @return this
         */
        public Builder self(final String name) {
            selfIndex = members.indexOf(MemberId.parse(name));
            if (selfIndex < 0) {
                throw new IllegalArgumentException(name + " is not one of " + members);
            }
            return this;
        }

        /**
         * Settings: the layer's reference defaults ({@code cairn.layer.<name>}) with these overrides.
         *
         * @param layerName the layer's registered name
         * @param overrides HOCON overrides, may be empty
         * @return this
         */
        public Builder settings(final String layerName, final String overrides) {
            this.name = layerName;
            final Config ref = ConfigFactory.defaultReference();
            final String path = "cairn.layer." + layerName;
            final Config defaults = ref.hasPath(path) ? ref.getConfig(path) : ConfigFactory.empty();
            this.settings = ConfigFactory.parseString(overrides).withFallback(defaults);
            return this;
        }

        /**
         * @param bytes the recording transport's maximum frame length
         * @return this
         */
        public Builder maxFrameLength(final int bytes) {
            this.maxFrameLength = bytes;
            return this;
        }

        /**
         * @param seed seed of the stack's random generator
         * @return this
         */
        public Builder seed(final long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * No configured members ({@code cairn.stack.members} empty), as when peers are found by discovery.
         *
         * @return this
         */
        public Builder noSeeds() {
            this.seeds = false;
            return this;
        }

        /**
         * Starts without a view (for membership layers, which install their own).
         *
         * @return this
         */
        public Builder noView() {
            this.staticView = false;
            return this;
        }

        /**
         * Plays the application: called synchronously with every up event leaving the top, before it is recorded
         * (for requests the application answers at once, like state snapshots).
         *
         * @param app the callback
         * @return this
         */
        public Builder application(final java.util.function.Consumer<UpEvent> app) {
            this.application = app;
            return this;
        }

        /** @return the harness, started (the static view has been delivered to the layer) */
        public LayerHarness build() {
            return new LayerHarness(this);
        }
    }
}
